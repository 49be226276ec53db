package dev.fnharness.harness.environment;

import dev.fnharness.harness.WorkerSpec;
import dev.fnharness.harness.WorkerStartupException;
import dev.fnharness.harness.server.RunnerAddress;
import dev.fnharness.harness.server.RunnerEndpoint;

/**
 * How workers start: a child process ({@link ProcessEnvironment}), a Docker container ({@link
 * DockerEnvironment}) or a worker pool someone else runs ({@link ExternalEnvironment}). Everything
 * after the launch (streams, bundles, failure detection, close) is the same for all of them.
 */
public interface WorkerEnvironment {

  /** {@code process}, {@code docker} or {@code external}: named in every start-up error. */
  String mode();

  /**
   * Whether the worker may not see this machine's files, so {@code python.files}, requirements and
   * archives travel to it over the Artifact Retrieval service instead of by path.
   */
  boolean shipsFiles();

  /**
   * Starts the worker of {@code spec}, telling it to call Provision at {@code runner.url()} and to
   * send {@code runner.workerToken()}, if there is one, on every call. Returns once it runs;
   * whether it connects is the caller's to watch.
   *
   * @throws WorkerStartupException naming the mode and what was run when it cannot start
   */
  LaunchedWorker launch(WorkerSpec spec, RunnerEndpoint runner);

  /**
   * Where the runner's server for this environment's workers listens. Loopback, unless workers run
   * on other machines; then every call must carry a token that {@link #launch} passes on.
   */
  default RunnerAddress runnerAddress() {
    return RunnerAddress.loopback();
  }

  /** For start-up errors: the command, image or address, one or more lines, no trailing newline. */
  String describeLaunch(String workerId, String provisionEndpoint);
}
