package dev.fnharness.flink.internal;

import dev.fnharness.flink.codec.RowBatchDecoder.DecodedBatch;
import java.util.Deque;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Row;

/**
 * Table functions: column 0 of each output batch is the position in the bundle of the input row
 * that yielded the output row, ascending. An input row leaves the queue once a later input row
 * has output, or at the end of the bundle; rows that yielded nothing are simply dropped.
 */
final class TableResultJoin implements ResultJoin {

  private final int resultColumns;
  /** Position in the bundle of the input row at the head of the queue. */
  private int headPosition;

  TableResultJoin(int resultColumns) {
    this.resultColumns = resultColumns;
  }

  @Override
  public void accept(DecodedBatch batch, Deque<StreamRecord<Row>> waiting, Emitter out) {
    if (batch.columns().length != resultColumns + 1) {
      throw new MismatchException(
          "sent "
              + batch.columns().length
              + " columns, expected the input row and "
              + resultColumns
              + " result columns");
    }
    for (int r = 0; r < batch.rowCount(); r++) {
      Object position = batch.value(0, r);
      if (position == null || (Integer) position < headPosition) {
        throw new MismatchException(
            "sent output for input row " + position + " after row " + headPosition);
      }
      for (int p = (Integer) position; headPosition < p; headPosition++) {
        if (waiting.poll() == null) {
          break;
        }
      }
      StreamRecord<Row> input = waiting.peek();
      if (input == null) {
        throw new MismatchException(
            "sent output for input row " + position + ", beyond the rows of the bundle");
      }
      out.emit(ResultJoin.joined(input.getValue(), batch, 1, r), input);
    }
  }

  @Override
  public void endBundle(Deque<StreamRecord<Row>> waiting) {
    waiting.clear();
    headPosition = 0;
  }
}
