package dev.fnharness.flink.internal;

import dev.fnharness.flink.codec.RowBatchDecoder.DecodedBatch;
import java.util.Deque;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Row;

/**
 * Joins the worker's output batches with the input rows waiting for them. The waiting rows hold
 * only the kept input fields, oldest first, and carry the input's timestamp; each output row is
 * those fields followed by the result columns, with the input row's kind.
 */
interface ResultJoin {

  /** Emits the rows of one output batch, taking the input rows it finishes off {@code waiting}. */
  void accept(DecodedBatch batch, Deque<StreamRecord<Row>> waiting, Emitter out);

  /** The bundle's output is complete: deals with input rows still waiting. */
  void endBundle(Deque<StreamRecord<Row>> waiting);

  /** Sends an output row downstream with the timestamp of the input row it came from. */
  interface Emitter {
    void emit(Row output, StreamRecord<Row> input);
  }

  /** The worker's output does not fit the input it was sent; the message says how. */
  final class MismatchException extends RuntimeException {
    MismatchException(String message) {
      super(message);
    }
  }

  /** The kept fields of {@code kept}, then columns {@code first..} of {@code batch} at {@code row}. */
  static Row joined(Row kept, DecodedBatch batch, int first, int row) {
    int keptArity = kept.getArity();
    int results = batch.columns().length - first;
    Row out = Row.withPositions(kept.getKind(), keptArity + results);
    for (int i = 0; i < keptArity; i++) {
      out.setField(i, kept.getField(i));
    }
    for (int c = 0; c < results; c++) {
      out.setField(keptArity + c, batch.value(first + c, row));
    }
    return out;
  }
}
