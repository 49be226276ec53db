package dev.fnharness.harness;

import java.time.Duration;
import java.util.Objects;

/**
 * What every worker needs, whatever its environment.
 *
 * @param workerId unique id, shown in logs and errors
 * @param startupTimeout how long to wait for the worker's Control and Data streams
 * @param logLevel Python root log level name, e.g. {@code INFO}
 * @param dependencies the user's files, requirements and archives
 */
public record WorkerSpec(
    String workerId, Duration startupTimeout, String logLevel, WorkerDependencies dependencies) {

  public WorkerSpec {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(startupTimeout, "startupTimeout");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(dependencies, "dependencies");
  }
}
