package dev.fnharness.flink.internal.config;

import dev.fnharness.flink.PythonOptions;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;

/**
 * The checks every {@code python.*} setting passes when it is captured and again when the cluster's
 * complete it, each naming the key and the value.
 */
final class ConfigChecks {

  /** Prefixes we own: a key under them that we do not know is a typo, not someone else's. */
  private static final String[] OWNED_PREFIXES = {"python.worker.", "python.fn-execution."};

  private ConfigChecks() {}

  /**
   * @throws IllegalArgumentException naming the key and the value for an unknown key under our
   *     prefixes, an unsupported mode or scope, a malformed dependency, or a value out of range
   */
  static void check(PythonConfig config, Map<String, String> settings) {
    Set<String> known =
        PythonOptions.ALL.stream().map(ConfigOption::key).collect(Collectors.toSet());
    for (String key : new TreeMap<>(settings).keySet()) {
      if (owned(key) && !known.contains(key)) {
        throw new IllegalArgumentException(
            "Unknown configuration key '"
                + key
                + "' (value '"
                + settings.get(key)
                + "'). Known keys: "
                + new TreeSet<>(known));
      }
    }
    config.workerMode();
    config.workerScope();
    DependencySettings.check(settings);
    if (settings.containsKey(PythonOptions.EXTERNAL_TOKEN.key())
        && settings.containsKey(PythonOptions.EXTERNAL_TOKEN_FILE.key())) {
      throw new IllegalArgumentException(
          "Set only one of "
              + PythonOptions.EXTERNAL_TOKEN.key()
              + " and "
              + PythonOptions.EXTERNAL_TOKEN_FILE.key());
    }
    requirePositive(PythonOptions.BUNDLE_SIZE, config.bundleSize());
    requirePositive(PythonOptions.BATCH_SIZE, config.get(PythonOptions.BATCH_SIZE));
    requirePositive(PythonOptions.BUNDLE_TIME, config.bundleTimeMillis());
    requirePositive(PythonOptions.BUNDLES_IN_FLIGHT, config.bundlesInFlight());
    requirePositive(PythonOptions.STATE_CACHE_SIZE, config.stateCacheSize());
    if (config.startupTimeout().isNegative() || config.startupTimeout().isZero()) {
      throw new IllegalArgumentException(
          PythonOptions.WORKER_STARTUP_TIMEOUT.key()
              + " must be positive, was "
              + config.startupTimeout());
    }
  }

  private static boolean owned(String key) {
    for (String prefix : OWNED_PREFIXES) {
      if (key.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static void requirePositive(ConfigOption<?> option, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(option.key() + " must be at least 1, was " + value);
    }
  }
}
