package dev.fnharness.flink.internal;

import java.util.Arrays;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Row;

/**
 * The rows of one bundle that wait for their results, in input order, each with its input
 * record's timestamp if it had one. Flat arrays rather than a queue of {@code StreamRecord}s:
 * one object less per row. Emptied when its bundle ends and reused by a later bundle, so its
 * arrays grow to the bundle size once.
 */
final class WaitingRows {

  private static final int INITIAL_CAPACITY = 64;

  private Row[] rows = new Row[INITIAL_CAPACITY];
  private long[] timestamps = new long[INITIAL_CAPACITY];
  private boolean[] timestamped = new boolean[INITIAL_CAPACITY];
  /** The oldest waiting row. */
  private int head;
  /** Where the next row goes. */
  private int end;

  void add(Row row, StreamRecord<?> input) {
    if (end == rows.length) {
      int capacity = rows.length * 2;
      rows = Arrays.copyOf(rows, capacity);
      timestamps = Arrays.copyOf(timestamps, capacity);
      timestamped = Arrays.copyOf(timestamped, capacity);
    }
    rows[end] = row;
    if (input.hasTimestamp()) {
      timestamps[end] = input.getTimestamp();
      timestamped[end] = true;
    } else {
      timestamped[end] = false;
    }
    end++;
  }

  boolean isEmpty() {
    return head == end;
  }

  int size() {
    return end - head;
  }

  /** The oldest waiting row; call only when not empty. */
  Row head() {
    return rows[head];
  }

  boolean headTimestamped() {
    return timestamped[head];
  }

  long headTimestamp() {
    return timestamps[head];
  }

  /** Stops waiting for the oldest row; the arrays rewind once every row is gone. */
  void removeHead() {
    rows[head] = null;
    head++;
    if (head == end) {
      head = 0;
      end = 0;
    }
  }

  void clear() {
    Arrays.fill(rows, head, end, null);
    head = 0;
    end = 0;
  }
}
