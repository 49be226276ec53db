package dev.fnharness.flink.internal.scalar;

import dev.fnharness.flink.codec.RowBatchDecoder.DecodedBatch;
import org.apache.flink.annotation.Internal;
import org.apache.flink.types.Row;

/** Scalar functions: output row i of the bundle belongs to input row i, one to one. */
@Internal
public final class ScalarResultJoin implements ResultJoin {

  private final int resultColumns;

  public ScalarResultJoin(int resultColumns) {
    this.resultColumns = resultColumns;
  }

  @Override
  public void accept(DecodedBatch batch, WaitingRows waiting, Emitter out) {
    Object[][] columns = batch.columns();
    if (columns.length != resultColumns) {
      throw new MismatchException(
          "sent " + columns.length + " result columns, expected " + resultColumns);
    }
    int first = waiting.keptArity();
    for (int r = 0; r < batch.rowCount(); r++) {
      if (waiting.isEmpty()) {
        throw new MismatchException("sent more results than rows");
      }
      Row row = waiting.headWithRoom(columns.length);
      for (int c = 0; c < columns.length; c++) {
        row.setField(first + c, columns[c][r]);
      }
      out.emit(row, waiting);
      waiting.removeHead();
    }
  }

  @Override
  public void endBundle(WaitingRows waiting) {
    if (!waiting.isEmpty()) {
      throw new MismatchException("ended a bundle without results for " + waiting.size() + " rows");
    }
  }
}
