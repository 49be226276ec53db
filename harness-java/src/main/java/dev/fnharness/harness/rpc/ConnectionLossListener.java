package dev.fnharness.harness.rpc;

/**
 * Told when one of a worker's streams ends or fails. The streams do not fail their work themselves:
 * the owner first looks at the process, whose exit code and output make a far better error than
 * "stream closed".
 */
@FunctionalInterface
public interface ConnectionLossListener {

  /**
   * @param stream which stream, e.g. {@code "control"}
   * @param cause the gRPC error, or {@code null} when the worker completed the stream
   */
  void onConnectionLost(String stream, Throwable cause);
}
