package dev.fnharness.harness.bundle;

import com.google.protobuf.ByteString;
import dev.fnharness.harness.PythonWorkerException;
import dev.fnharness.harness.WorkerCrashedException;
import java.util.function.Consumer;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleResponse;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateResponse;

/**
 * Receives one bundle's output on gRPC threads. Exactly one of {@link #onCompleted} or {@link
 * #onFailed} is called, last; {@link #onData} calls come before it, in the worker's order.
 */
public interface BundleReceiver {

  /** One output chunk (a serialized {@code RowBatch}). */
  void onData(ByteString data);

  /** Both the output's {@code is_last} and the worker's {@code ProcessBundleResponse} arrived. */
  void onCompleted(ProcessBundleResponse response);

  /**
   * The bundle failed: a {@link PythonWorkerException} for an error answer (it holds the Python
   * traceback), a {@link WorkerCrashedException} when the worker died or its streams broke.
   */
  void onFailed(Throwable cause);

  /**
   * A state request of this bundle from the worker's State stream. It arrives on a gRPC thread; the
   * receiver answers through {@code reply} exactly once, from any thread, typically after handing
   * the request to the thread that owns the state. Bundles without state keep the default, which
   * refuses the request.
   */
  default void onStateRequest(StateRequest request, Consumer<StateResponse> reply) {
    reply.accept(
        StateResponse.newBuilder()
            .setId(request.getId())
            .setError("bundle " + request.getInstructionId() + " has no user state")
            .build());
  }
}
