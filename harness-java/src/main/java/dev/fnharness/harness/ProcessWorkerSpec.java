package dev.fnharness.harness;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What it takes to start one worker in process mode.
 *
 * @param workerId unique id, shown in logs and errors
 * @param pythonExecutable the interpreter to run ({@code python.executable})
 * @param pythonFiles absolute paths put on the worker's {@code sys.path} ({@code python.files})
 * @param startupTimeout how long to wait for the worker's control connection
 * @param logLevel Python root log level name, e.g. {@code INFO}
 * @param environment extra environment variables for the process
 */
public record ProcessWorkerSpec(
    String workerId,
    String pythonExecutable,
    List<String> pythonFiles,
    Duration startupTimeout,
    String logLevel,
    Map<String, String> environment) {

  public ProcessWorkerSpec {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(pythonExecutable, "pythonExecutable");
    pythonFiles = List.copyOf(pythonFiles);
    Objects.requireNonNull(startupTimeout, "startupTimeout");
    Objects.requireNonNull(logLevel, "logLevel");
    environment = Map.copyOf(environment);
  }
}
