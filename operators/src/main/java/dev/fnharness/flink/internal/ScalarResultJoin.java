package dev.fnharness.flink.internal;

import dev.fnharness.flink.codec.RowBatchDecoder.DecodedBatch;
import java.util.Deque;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Row;

/** Scalar functions: output row i of the bundle belongs to input row i, one to one. */
final class ScalarResultJoin implements ResultJoin {

  private final int resultColumns;

  ScalarResultJoin(int resultColumns) {
    this.resultColumns = resultColumns;
  }

  @Override
  public void accept(DecodedBatch batch, Deque<StreamRecord<Row>> waiting, Emitter out) {
    if (batch.columns().length != resultColumns) {
      throw new MismatchException(
          "sent " + batch.columns().length + " result columns, expected " + resultColumns);
    }
    for (int r = 0; r < batch.rowCount(); r++) {
      StreamRecord<Row> input = waiting.poll();
      if (input == null) {
        throw new MismatchException("sent more results than rows");
      }
      out.emit(ResultJoin.joined(input.getValue(), batch, 0, r), input);
    }
  }

  @Override
  public void endBundle(Deque<StreamRecord<Row>> waiting) {
    if (!waiting.isEmpty()) {
      throw new MismatchException(
          "ended a bundle without results for " + waiting.size() + " rows");
    }
  }
}
