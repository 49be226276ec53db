package dev.fnharness.harness;

import dev.fnharness.harness.environment.WorkerEnvironment;
import dev.fnharness.harness.logging.LogEntrySink;
import dev.fnharness.harness.worker.FnApiRemoteWorker;

/** Starts workers in any environment: process, docker or external pool. */
public final class Workers {

  private Workers() {}

  /**
   * Starts a gRPC server on loopback, launches the worker in {@code environment} and waits for its
   * Control and Data streams. The worker's log records go to SLF4J.
   *
   * @return a {@link FnApiRemoteWorker}
   * @throws WorkerStartupException naming the mode, what was run and what the worker printed, if
   *     the worker exits or does not connect within the spec's start-up timeout
   */
  public static RemoteWorker start(WorkerSpec spec, WorkerEnvironment environment) {
    return start(spec, environment, LogEntrySink.slf4j());
  }

  /** Like {@link #start(WorkerSpec, WorkerEnvironment)}, log records going to {@code logSink}. */
  public static RemoteWorker start(
      WorkerSpec spec, WorkerEnvironment environment, LogEntrySink logSink) {
    return FnApiRemoteWorker.start(spec, environment, logSink);
  }
}
