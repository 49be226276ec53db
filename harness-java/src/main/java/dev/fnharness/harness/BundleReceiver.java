package dev.fnharness.harness;

import com.google.protobuf.ByteString;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleResponse;

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
}
