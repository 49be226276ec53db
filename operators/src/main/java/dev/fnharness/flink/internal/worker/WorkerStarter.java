package dev.fnharness.flink.internal.worker;

import dev.fnharness.flink.internal.config.PythonConfig;
import dev.fnharness.harness.RemoteWorker;
import java.io.Serializable;
import org.apache.flink.annotation.Internal;

/**
 * Starts the worker an operator leases. Jobs start it as {@code python.worker.mode} says ({@link
 * #BY_MODE}); tests of the operators hand in a worker written in Java that needs no Python.
 * Serializable: it travels with the operator in the job graph.
 */
@Internal
@FunctionalInterface
public interface WorkerStarter extends Serializable {

  /** Starts the worker of {@code python.worker.mode}. */
  WorkerStarter BY_MODE = WorkerLauncher::start;

  /**
   * @param config the complete settings (job over cluster) of the operator
   * @param workerId unique, named in logs and errors
   */
  RemoteWorker start(PythonConfig config, String workerId);
}
