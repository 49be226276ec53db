package dev.fnharness.harness;

import dev.fnharness.harness.environment.ProcessEnvironment;
import dev.fnharness.harness.logging.LogEntrySink;
import dev.fnharness.harness.worker.FnApiRemoteWorker;

/** Starts workers in process mode. */
public final class ProcessWorkers {

  private ProcessWorkers() {}

  /**
   * Starts a gRPC server on loopback, spawns the worker and waits for its control connection. The
   * worker's log records go to SLF4J ({@link LogEntrySink#slf4j()}).
   *
   * @return a {@link FnApiRemoteWorker}
   * @throws WorkerStartupException if the worker exits or does not connect within the spec's
   *     start-up timeout
   */
  public static RemoteWorker start(ProcessWorkerSpec spec) {
    return start(spec, LogEntrySink.slf4j());
  }

  /**
   * Like {@link #start(ProcessWorkerSpec)}, with the worker's log records going to {@code logSink}.
   */
  public static RemoteWorker start(ProcessWorkerSpec spec, LogEntrySink logSink) {
    return Workers.start(
        new WorkerSpec(
            spec.workerId(),
            spec.startupTimeout(),
            spec.logLevel(),
            WorkerDependencies.of(spec.pythonFiles())),
        new ProcessEnvironment(spec.pythonExecutable(), spec.environment()),
        logSink);
  }
}
