package dev.fnharness.flink.internal.scalar;

import dev.fnharness.flink.codec.RowBatchDecoder.DecodedBatch;
import org.apache.flink.annotation.Internal;
import org.apache.flink.types.Row;

/**
 * Joins the worker's output batches with the input rows waiting for them ({@link WaitingRows},
 * which holds only their kept fields): each output row is those fields followed by the result
 * columns, with the input row's kind and timestamp.
 */
@Internal
public interface ResultJoin {

  /** Emits the rows of one output batch, taking the input rows it finishes off {@code waiting}. */
  void accept(DecodedBatch batch, WaitingRows waiting, Emitter out);

  /** The bundle's output is complete: deals with input rows still waiting. */
  void endBundle(WaitingRows waiting);

  /** Sends an output row downstream with the timestamp of the oldest waiting input row. */
  interface Emitter {
    void emit(Row output, WaitingRows from);
  }

  /** The worker's output does not fit the input it was sent; the message says how. */
  final class MismatchException extends RuntimeException {
    MismatchException(String message) {
      super(message);
    }
  }
}
