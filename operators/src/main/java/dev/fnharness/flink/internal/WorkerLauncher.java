package dev.fnharness.flink.internal;

import dev.fnharness.flink.PythonOptions;
import dev.fnharness.harness.ProcessWorkerSpec;
import dev.fnharness.harness.ProcessWorkers;
import dev.fnharness.harness.RemoteWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Starts the worker that {@code python.worker.mode} asks for. */
final class WorkerLauncher {

  private WorkerLauncher() {}

  static RemoteWorker start(PythonConfig config, String workerId) {
    for (String file : config.pythonFiles()) {
      if (!Files.exists(Path.of(file))) {
        throw new IllegalArgumentException(
            PythonOptions.PYTHON_FILES.key() + " entry '" + file + "' does not exist");
      }
    }
    // validate() admits only the modes handled here
    return ProcessWorkers.start(
        new ProcessWorkerSpec(
            workerId,
            config.pythonExecutable(),
            config.pythonFiles(),
            config.startupTimeout(),
            config.workerLogLevel(),
            Map.of()));
  }
}
