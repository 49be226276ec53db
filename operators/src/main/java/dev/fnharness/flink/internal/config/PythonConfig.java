package dev.fnharness.flink.internal.config;

import dev.fnharness.flink.PythonOptions;
import dev.fnharness.harness.WorkerDependencies;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The {@code python.*} settings of one operator: captured from the job's environment when the job
 * is built ({@link #capture}), completed with the cluster's at run time ({@link #withFallback}),
 * and checked for mistakes both times ({@code ConfigChecks}, and the mode's own check). Each worker
 * mode reads its settings into a type of its own ({@link #docker}, {@link #external}); the
 * dependency keys are {@code DependencySettings}'.
 */
@Internal
public final class PythonConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  private final Map<String, String> settings;

  /** Parsed once: reading an option from a map-built Configuration copies the whole map. */
  private transient Configuration parsed;

  private PythonConfig(Map<String, String> settings) {
    this.settings = new HashMap<>(settings);
  }

  /** Takes the {@code python.*} keys of {@code config}, making their paths absolute. */
  public static PythonConfig capture(ReadableConfig config) {
    Map<String, String> python = pythonKeys(config);
    DependencySettings.absolutize(python);
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
    result.validateComplete();
    return result;
  }

  /** These settings with python.files replaced, e.g. by the TaskManager's copies of them. */
  public PythonConfig withPythonFiles(List<String> files) {
    Map<String, String> replaced = new HashMap<>(settings);
    replaced.put(PythonOptions.PYTHON_FILES.key(), String.join(",", files));
    return new PythonConfig(replaced);
  }

  /** These settings with {@code option} set to {@code value} unless it is set already. */
  PythonConfig withDefault(ConfigOption<String> option, String value) {
    if (settings.containsKey(option.key())) {
      return this;
    }
    Map<String, String> completed = new HashMap<>(settings);
    completed.put(option.key(), value);
    return new PythonConfig(completed);
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
    ConfigChecks.check(this, settings);
  }

  /**
   * Checks what only the complete settings (job over cluster) can tell: that the chosen mode has
   * what it needs.
   *
   * @throws IllegalArgumentException naming the missing key
   */
  public void validateComplete() {
    workerMode().checkComplete(this);
  }

  <T> T get(ConfigOption<T> option) {
    if (parsed == null) {
      parsed = Configuration.fromMap(settings);
    }
    return parsed.get(option);
  }

  boolean isSet(ConfigOption<?> option) {
    return settings.containsKey(option.key());
  }

  /** The value as set, or {@code null}. */
  String raw(ConfigOption<String> option) {
    return settings.get(option.key());
  }

  /** The value trimmed, or {@code null} when not set or blank. */
  String trimmedOrNull(ConfigOption<String> option) {
    String value = settings.get(option.key());
    return value == null || value.isBlank() ? null : value.trim();
  }

  public String pythonExecutable() {
    return get(PythonOptions.PYTHON_EXECUTABLE);
  }

  public List<String> pythonFiles() {
    return DependencySettings.pythonFiles(settings);
  }

  public WorkerMode workerMode() {
    return WorkerMode.of(get(PythonOptions.WORKER_MODE));
  }

  public WorkerScope workerScope() {
    return WorkerScope.of(get(PythonOptions.WORKER_SCOPE));
  }

  /** {@code python.worker.scope: slot}: the Python operators of a slot share one worker. */
  public boolean sharesWorkerInSlot() {
    return workerScope() == WorkerScope.SLOT;
  }

  /**
   * The settings that decide what a worker is (all but {@code python.fn-execution.*}): operators of
   * one slot share a worker only when these are equal.
   */
  public String workerSettingsKey() {
    TreeMap<String, String> worker = new TreeMap<>(settings);
    worker.keySet().removeIf(key -> key.startsWith("python.fn-execution."));
    return worker.toString();
  }

  /**
   * @throws IllegalArgumentException naming the key when no image is set
   */
  public DockerSettings docker() {
    return DockerSettings.of(this);
  }

  /**
   * @throws IllegalArgumentException naming the key when no pool address is set
   */
  public ExternalSettings external() {
    return ExternalSettings.of(this);
  }

  /** {@code python.requirements} split at '#', or {@code null}. */
  public WorkerDependencies.Requirements requirements() {
    return DependencySettings.requirements(settings);
  }

  public List<WorkerDependencies.Archive> archives() {
    return DependencySettings.archives(settings);
  }

  public WorkerDependencies dependencies() {
    return new WorkerDependencies(pythonFiles(), requirements(), archives());
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

  public int bundlesInFlight() {
    return get(PythonOptions.BUNDLES_IN_FLIGHT);
  }

  public int stateCacheSize() {
    return get(PythonOptions.STATE_CACHE_SIZE);
  }

  @Override
  public String toString() {
    return new TreeMap<>(settings).toString();
  }
}
