package dev.fnharness.harness;

/** Starts workers in process mode. */
public final class ProcessWorkers {

  private ProcessWorkers() {}

  /**
   * Starts a gRPC server on loopback, spawns the worker and waits for its control connection.
   *
   * @throws WorkerStartupException if the worker exits or does not connect within the spec's
   *     start-up timeout
   */
  public static RemoteWorker start(ProcessWorkerSpec spec) {
    throw new UnsupportedOperationException("being written");
  }
}
