package dev.fnharness.flink.internal;

import dev.fnharness.flink.PythonOptions;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The {@code python.*} settings of one operator: captured from the job's environment when the job
 * is built, completed with the cluster's at run time, and checked for mistakes both times.
 */
public final class PythonConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Prefixes we own: a key under them that we do not know is a typo, not someone else's. */
  private static final List<String> OWNED_PREFIXES =
      List.of("python.worker.", "python.fn-execution.");

  private static final Set<String> SUPPORTED_MODES = Set.of("process");

  private final Map<String, String> settings;
  /** Parsed once: reading an option from a map-built Configuration copies the whole map. */
  private transient Configuration parsed;

  private PythonConfig(Map<String, String> settings) {
    this.settings = new HashMap<>(settings);
  }

  /** Takes the {@code python.*} keys of {@code config}, making relative python.files absolute. */
  public static PythonConfig capture(ReadableConfig config) {
    Map<String, String> python = pythonKeys(config);
    String files = python.get(PythonOptions.PYTHON_FILES.key());
    if (files != null) {
      python.put(
          PythonOptions.PYTHON_FILES.key(),
          splitFiles(files).stream()
              .map(f -> Path.of(f).toAbsolutePath().normalize().toString())
              .collect(Collectors.joining(",")));
    }
    PythonConfig captured = new PythonConfig(python);
    captured.validate();
    return captured;
  }

  /** These settings over {@code lower} (job and cluster configuration) for the keys we lack. */
  public PythonConfig withFallback(ReadableConfig lower) {
    Map<String, String> merged = pythonKeys(lower);
    merged.putAll(settings);
    PythonConfig result = new PythonConfig(merged);
    result.validate();
    return result;
  }

  /** These settings with python.files replaced, e.g. by the TaskManager's copies of them. */
  public PythonConfig withPythonFiles(List<String> files) {
    Map<String, String> replaced = new HashMap<>(settings);
    replaced.put(PythonOptions.PYTHON_FILES.key(), String.join(",", files));
    return new PythonConfig(replaced);
  }

  private static Map<String, String> pythonKeys(ReadableConfig config) {
    Map<String, String> python = new HashMap<>();
    config
        .toMap()
        .forEach(
            (key, value) -> {
              if (key.startsWith("python.")) {
                python.put(key, value);
              }
            });
    return python;
  }

  /**
   * @throws IllegalArgumentException naming the key and the value for an unknown key under our
   *     prefixes, an unsupported mode, or a value out of range
   */
  public void validate() {
    Set<String> known =
        PythonOptions.ALL.stream().map(ConfigOption::key).collect(Collectors.toSet());
    for (String key : new TreeMap<>(settings).keySet()) {
      boolean owned = OWNED_PREFIXES.stream().anyMatch(key::startsWith);
      if (owned && !known.contains(key)) {
        throw new IllegalArgumentException(
            "Unknown configuration key '"
                + key
                + "' (value '"
                + settings.get(key)
                + "'). Known keys: "
                + new TreeMap<>(known.stream().collect(Collectors.toMap(k -> k, k -> "")))
                    .keySet());
      }
    }
    if (!SUPPORTED_MODES.contains(workerMode())) {
      throw new IllegalArgumentException(
          PythonOptions.WORKER_MODE.key()
              + ": '"
              + settings.get(PythonOptions.WORKER_MODE.key())
              + "' is not supported; supported modes: "
              + SUPPORTED_MODES);
    }
    requirePositive(PythonOptions.BUNDLE_SIZE, bundleSize());
    requirePositive(PythonOptions.BATCH_SIZE, get(PythonOptions.BATCH_SIZE));
    requirePositive(PythonOptions.BUNDLE_TIME, bundleTimeMillis());
    requirePositive(PythonOptions.STATE_CACHE_SIZE, stateCacheSize());
    if (startupTimeout().isNegative() || startupTimeout().isZero()) {
      throw new IllegalArgumentException(
          PythonOptions.WORKER_STARTUP_TIMEOUT.key() + " must be positive, was " + startupTimeout());
    }
  }

  private static void requirePositive(ConfigOption<?> option, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(option.key() + " must be at least 1, was " + value);
    }
  }

  private <T> T get(ConfigOption<T> option) {
    if (parsed == null) {
      parsed = Configuration.fromMap(settings);
    }
    return parsed.get(option);
  }

  public String pythonExecutable() {
    return get(PythonOptions.PYTHON_EXECUTABLE);
  }

  public List<String> pythonFiles() {
    String files = settings.get(PythonOptions.PYTHON_FILES.key());
    return files == null ? List.of() : splitFiles(files);
  }

  public String workerMode() {
    return get(PythonOptions.WORKER_MODE).trim().toLowerCase(Locale.ROOT);
  }

  public Duration startupTimeout() {
    return get(PythonOptions.WORKER_STARTUP_TIMEOUT);
  }

  public String workerLogLevel() {
    return get(PythonOptions.WORKER_LOG_LEVEL).trim().toUpperCase(Locale.ROOT);
  }

  public int bundleSize() {
    return get(PythonOptions.BUNDLE_SIZE);
  }

  /** Rows per batch: never more than a bundle holds. */
  public int batchSize() {
    return Math.min(get(PythonOptions.BATCH_SIZE), bundleSize());
  }

  public long bundleTimeMillis() {
    return get(PythonOptions.BUNDLE_TIME);
  }

  public int stateCacheSize() {
    return get(PythonOptions.STATE_CACHE_SIZE);
  }

  private static List<String> splitFiles(String files) {
    List<String> result = new ArrayList<>();
    for (String part : Arrays.asList(files.split(","))) {
      if (!part.isBlank()) {
        result.add(part.trim());
      }
    }
    return result;
  }

  @Override
  public String toString() {
    return new TreeMap<>(settings).toString();
  }
}
