package dev.fnharness.flink.internal.scalar;

import java.util.Arrays;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

/**
 * The input rows of one bundle that wait for their results, in input order: each row's kept fields,
 * its kind, and its input record's timestamp if it had one. Column arrays rather than an object per
 * waiting row: the output row is made only when its results arrive, so it dies young, and nothing
 * made per row stays alive across a bundle for the young collections to copy. The input {@code Row}
 * itself is never held, so Flink may hand the operator the same object again (object reuse).
 * Emptied when its bundle ends and reused by a later bundle, so its arrays grow to the bundle size
 * once.
 */
final class WaitingRows {

  private static final int INITIAL_CAPACITY = 64;

  /** Which input fields the output keeps, in output order. */
  private final int[] keptPositions;

  /** One array per kept field, indexed by row. */
  private final Object[][] kept;

  private byte[] kinds = new byte[INITIAL_CAPACITY];
  private long[] timestamps = new long[INITIAL_CAPACITY];
  private boolean[] timestamped = new boolean[INITIAL_CAPACITY];

  /** The oldest waiting row. */
  private int head;

  /** Where the next row goes. */
  private int end;

  WaitingRows(int[] keptPositions) {
    this.keptPositions = keptPositions.clone();
    this.kept = new Object[keptPositions.length][INITIAL_CAPACITY];
  }

  void add(Row input, StreamRecord<?> record) {
    if (end == kinds.length) {
      grow();
    }
    int[] positions = keptPositions;
    for (int c = 0; c < positions.length; c++) {
      kept[c][end] = input.getField(positions[c]);
    }
    kinds[end] = input.getKind().toByteValue();
    if (record.hasTimestamp()) {
      timestamps[end] = record.getTimestamp();
      timestamped[end] = true;
    } else {
      timestamped[end] = false;
    }
    end++;
  }

  private void grow() {
    int capacity = kinds.length * 2;
    for (int c = 0; c < kept.length; c++) {
      kept[c] = Arrays.copyOf(kept[c], capacity);
    }
    kinds = Arrays.copyOf(kinds, capacity);
    timestamps = Arrays.copyOf(timestamps, capacity);
    timestamped = Arrays.copyOf(timestamped, capacity);
  }

  boolean isEmpty() {
    return head == end;
  }

  int size() {
    return end - head;
  }

  /** How many fields of each input row the output keeps. */
  int keptArity() {
    return kept.length;
  }

  /**
   * A new row of the oldest waiting row's kind holding its kept fields, followed by {@code results}
   * empty fields for the results; call only when not empty.
   */
  Row headWithRoom(int results) {
    int arity = kept.length;
    Row out = Row.withPositions(RowKind.fromByteValue(kinds[head]), arity + results);
    for (int c = 0; c < arity; c++) {
      out.setField(c, kept[c][head]);
    }
    return out;
  }

  boolean headTimestamped() {
    return timestamped[head];
  }

  long headTimestamp() {
    return timestamps[head];
  }

  /** Stops waiting for the oldest row; the arrays rewind once every row is gone. */
  void removeHead() {
    head++;
    if (head == end) {
      clear();
    }
  }

  /** Forgets every waiting row, and the references to their fields. */
  void clear() {
    for (Object[] column : kept) {
      Arrays.fill(column, 0, end, null);
    }
    head = 0;
    end = 0;
  }
}
