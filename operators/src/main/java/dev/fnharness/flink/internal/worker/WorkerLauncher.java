package dev.fnharness.flink.internal.worker;

import dev.fnharness.flink.PythonOptions;
import dev.fnharness.flink.internal.config.ExternalRunner;
import dev.fnharness.flink.internal.config.PythonConfig;
import dev.fnharness.harness.RemoteWorker;
import dev.fnharness.harness.WorkerDependencies;
import dev.fnharness.harness.WorkerSpec;
import dev.fnharness.harness.Workers;
import dev.fnharness.harness.environment.DockerEnvironment;
import dev.fnharness.harness.environment.ExternalEnvironment;
import dev.fnharness.harness.environment.ProcessEnvironment;
import dev.fnharness.harness.environment.WorkerEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Starts the worker that {@code python.worker.mode} asks for. */
public final class WorkerLauncher {

  private WorkerLauncher() {}

  static RemoteWorker start(PythonConfig config, String workerId) {
    WorkerDependencies dependencies = config.dependencies();
    dependencies.checkExist();
    WorkerSpec spec =
        new WorkerSpec(workerId, config.startupTimeout(), config.workerLogLevel(), dependencies);
    return Workers.start(spec, environment(config));
  }

  public static WorkerEnvironment environment(PythonConfig config) {
    config.validateComplete();
    switch (config.workerMode()) {
      case "docker":
        return new DockerEnvironment("docker", config.dockerImage(), config.dockerRunArgs());
      case "external":
        return new ExternalEnvironment(
            config.externalAddress(), token(config), ExternalRunner.address(config));
      default:
        return new ProcessEnvironment(config.pythonExecutable(), Map.of());
    }
  }

  private static String token(PythonConfig config) {
    String file = config.externalTokenFile();
    if (file == null) {
      return config.externalToken();
    }
    try {
      String token = Files.readString(Path.of(file)).trim();
      if (token.isEmpty()) {
        throw new IllegalArgumentException(
            PythonOptions.EXTERNAL_TOKEN_FILE.key() + ": '" + file + "' is empty");
      }
      return token;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          PythonOptions.EXTERNAL_TOKEN_FILE.key() + ": cannot read '" + file + "': " + e, e);
    }
  }
}
