package dev.fnharness.flink.internal;

import dev.fnharness.flink.codec.RowBatchDecoder.DecodedBatch;
import org.apache.flink.types.Row;

/**
 * Scalar functions: output row i of the bundle belongs to input row i, one to one. The output row
 * is made when the input row arrives, with the kept fields in place, and waits for its results:
 * one row per input row, however the input is kept.
 */
final class ScalarResultJoin implements ResultJoin {

  private final int[] keptPositions;
  private final int resultColumns;

  ScalarResultJoin(int[] keptPositions, int resultColumns) {
    this.keptPositions = keptPositions;
    this.resultColumns = resultColumns;
  }

  @Override
  public Row waitingRow(Row input) {
    int[] positions = keptPositions;
    Row out = Row.withPositions(input.getKind(), positions.length + resultColumns);
    for (int i = 0; i < positions.length; i++) {
      out.setField(i, input.getField(positions[i]));
    }
    return out;
  }

  @Override
  public void accept(DecodedBatch batch, WaitingRows waiting, Emitter out) {
    Object[][] columns = batch.columns();
    if (columns.length != resultColumns) {
      throw new MismatchException(
          "sent " + columns.length + " result columns, expected " + resultColumns);
    }
    int first = keptPositions.length;
    for (int r = 0; r < batch.rowCount(); r++) {
      if (waiting.isEmpty()) {
        throw new MismatchException("sent more results than rows");
      }
      Row row = waiting.head();
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
      throw new MismatchException(
          "ended a bundle without results for " + waiting.size() + " rows");
    }
  }
}
