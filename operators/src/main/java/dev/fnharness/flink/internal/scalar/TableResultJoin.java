package dev.fnharness.flink.internal.scalar;

import dev.fnharness.flink.codec.RowBatchDecoder.DecodedBatch;
import org.apache.flink.annotation.Internal;
import org.apache.flink.types.Row;

/**
 * Table functions: column 0 of each output batch is the position in the bundle of the input row
 * that yielded the output row, ascending. An input row leaves the queue once a later input row has
 * output, or at the end of the bundle; rows that yielded nothing are simply dropped.
 */
@Internal
public final class TableResultJoin implements ResultJoin {

  private final int resultColumns;

  /** Position in the bundle of the input row at the head of the queue. */
  private int headPosition;

  public TableResultJoin(int resultColumns) {
    this.resultColumns = resultColumns;
  }

  @Override
  public void accept(DecodedBatch batch, WaitingRows waiting, Emitter out) {
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
      for (int p = (Integer) position; headPosition < p && !waiting.isEmpty(); headPosition++) {
        waiting.removeHead();
      }
      if (waiting.isEmpty()) {
        throw new MismatchException(
            "sent output for input row " + position + ", beyond the rows of the bundle");
      }
      out.emit(joined(waiting, batch, r), waiting);
    }
  }

  /** The oldest waiting row's kept fields, then the results of {@code batch} at {@code row}. */
  private Row joined(WaitingRows waiting, DecodedBatch batch, int row) {
    int keptArity = waiting.keptArity();
    Row out = waiting.headWithRoom(resultColumns);
    for (int c = 0; c < resultColumns; c++) {
      out.setField(keptArity + c, batch.value(1 + c, row));
    }
    return out;
  }

  @Override
  public void endBundle(WaitingRows waiting) {
    waiting.clear();
    headPosition = 0;
  }
}
