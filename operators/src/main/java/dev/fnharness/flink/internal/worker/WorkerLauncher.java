package dev.fnharness.flink.internal.worker;

import dev.fnharness.flink.internal.config.PythonConfig;
import dev.fnharness.harness.RemoteWorker;
import dev.fnharness.harness.WorkerDependencies;
import dev.fnharness.harness.WorkerSpec;
import dev.fnharness.harness.Workers;

/** Starts the worker that {@code python.worker.mode} asks for ({@link WorkerStarter#BY_MODE}). */
final class WorkerLauncher {

  private WorkerLauncher() {}

  static RemoteWorker start(PythonConfig config, String workerId) {
    WorkerDependencies dependencies = config.dependencies();
    dependencies.checkExist();
    WorkerSpec spec =
        new WorkerSpec(workerId, config.startupTimeout(), config.workerLogLevel(), dependencies);
    config.validateComplete();
    return Workers.start(spec, config.workerMode().environment(config));
  }
}
