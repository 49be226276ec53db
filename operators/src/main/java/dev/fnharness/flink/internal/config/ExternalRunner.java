package dev.fnharness.flink.internal.config;

import dev.fnharness.flink.PythonOptions;
import dev.fnharness.harness.server.RunnerAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.flink.annotation.Internal;

/**
 * External mode's {@code python.worker.external.runner-bind-host} and {@code runner-host}: where
 * the runner that the pool's workers dial listens, and the host they dial, with errors that name
 * the keys.
 */
@Internal
public final class ExternalRunner {

  private ExternalRunner() {}

  /**
   * @throws IllegalArgumentException naming the key and value for a bind host that does not
   *     resolve, or one other machines reach while the pool needs no token
   */
  static void check(PythonConfig config) {
    ExternalSettings external = config.external();
    String bind = external.runnerBindHost();
    if (bind == null) {
      return;
    }
    if (!resolve(bind).isLoopbackAddress() && !external.hasToken()) {
      // pool.py's rule: a pool that other machines can reach runs their code, so it needs one.
      throw new IllegalArgumentException(
          PythonOptions.EXTERNAL_RUNNER_BIND_HOST.key()
              + " is '"
              + bind
              + "', which other machines reach, but neither "
              + PythonOptions.EXTERNAL_TOKEN.key()
              + " nor "
              + PythonOptions.EXTERNAL_TOKEN_FILE.key()
              + " is set: a pool on another host must require a token (fnharness-worker-pool"
              + " --token-file FILE)");
    }
  }

  /** Loopback unless {@code runner-bind-host} is set. */
  public static RunnerAddress address(PythonConfig config) {
    ExternalSettings external = config.external();
    String bind = external.runnerBindHost();
    if (bind == null) {
      return RunnerAddress.loopback();
    }
    String dial = external.runnerHost();
    if (dial == null && resolve(bind).isAnyLocalAddress()) {
      throw new IllegalArgumentException(
          PythonOptions.EXTERNAL_RUNNER_BIND_HOST.key()
              + " is '"
              + bind
              + "', all interfaces, which workers cannot dial: set "
              + PythonOptions.EXTERNAL_RUNNER_HOST.key()
              + " to the host at which the pool's machine reaches this TaskManager");
    }
    return RunnerAddress.of(bind, dial);
  }

  /**
   * Lets workers of a runner bound to all interfaces dial it where Flink says this TaskManager is,
   * unless {@code runner-host} says otherwise: one cluster-wide setting then fits every
   * TaskManager.
   */
  public static PythonConfig withTaskManagerHost(PythonConfig config, String taskManagerHost) {
    // Any mode: the keys are only read in external mode, but a cluster may set them for all jobs.
    String bind = config.trimmedOrNull(PythonOptions.EXTERNAL_RUNNER_BIND_HOST);
    // A MiniCluster's TaskManager has no external address: then runner-host must be set.
    if (bind == null
        || config.trimmedOrNull(PythonOptions.EXTERNAL_RUNNER_HOST) != null
        || taskManagerHost == null
        || taskManagerHost.isBlank()) {
      return config;
    }
    try {
      if (!InetAddress.getByName(bind).isAnyLocalAddress()) {
        return config;
      }
    } catch (UnknownHostException e) {
      return config; // check() names it
    }
    return config.withDefault(PythonOptions.EXTERNAL_RUNNER_HOST, taskManagerHost);
  }

  private static InetAddress resolve(String host) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          PythonOptions.EXTERNAL_RUNNER_BIND_HOST.key()
              + ": '"
              + host
              + "' does not resolve on this machine",
          e);
    }
  }
}
