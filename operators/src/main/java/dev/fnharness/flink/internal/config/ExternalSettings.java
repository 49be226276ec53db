package dev.fnharness.flink.internal.config;

import dev.fnharness.flink.PythonOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.annotation.Internal;

/**
 * External mode's settings: the pool's address (required), its token or a file holding it, and
 * where the runner its workers dial listens ({@link ExternalRunner}).
 *
 * @param tokenValue {@code python.worker.external.token}, or null
 * @param tokenFile {@code python.worker.external.token-file}, or null
 * @param runnerBindHost null: the runner stays on loopback
 * @param runnerHost null: the bind host, or the TaskManager's address for all interfaces
 */
@Internal
public record ExternalSettings(
    String address, String tokenValue, String tokenFile, String runnerBindHost, String runnerHost) {

  /**
   * @throws IllegalArgumentException naming the key when no address is set
   */
  static ExternalSettings of(PythonConfig config) {
    String address = config.trimmedOrNull(PythonOptions.EXTERNAL_ADDRESS);
    if (address == null) {
      throw WorkerMode.EXTERNAL.lacks(
          PythonOptions.EXTERNAL_ADDRESS, "give host:port of 'fnharness-worker-pool --port N'");
    }
    return new ExternalSettings(
        address,
        config.raw(PythonOptions.EXTERNAL_TOKEN),
        config.raw(PythonOptions.EXTERNAL_TOKEN_FILE),
        config.trimmedOrNull(PythonOptions.EXTERNAL_RUNNER_BIND_HOST),
        config.trimmedOrNull(PythonOptions.EXTERNAL_RUNNER_HOST));
  }

  /** Whether the pool is told a token, given or in a file. */
  boolean hasToken() {
    return tokenValue != null || tokenFile != null;
  }

  /**
   * The pool's token, read from {@code token-file} if that is set; null without one.
   *
   * @throws IllegalArgumentException naming the key when the file cannot be read or is empty
   */
  String token() {
    if (tokenFile == null) {
      return tokenValue;
    }
    try {
      String token = Files.readString(Path.of(tokenFile)).trim();
      if (token.isEmpty()) {
        throw new IllegalArgumentException(
            PythonOptions.EXTERNAL_TOKEN_FILE.key() + ": '" + tokenFile + "' is empty");
      }
      return token;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          PythonOptions.EXTERNAL_TOKEN_FILE.key() + ": cannot read '" + tokenFile + "': " + e, e);
    }
  }
}
