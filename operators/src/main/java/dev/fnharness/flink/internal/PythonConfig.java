package dev.fnharness.flink.internal;

import dev.fnharness.flink.PythonOptions;
import dev.fnharness.harness.WorkerDependencies;
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

  private static final List<String> SUPPORTED_MODES = List.of("process", "docker", "external");
  private static final List<String> SUPPORTED_SCOPES = List.of("operator", "slot");

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
    absolutize(python, PythonOptions.PYTHON_REQUIREMENTS.key(), true);
    absolutize(python, PythonOptions.PYTHON_ARCHIVES.key(), false);
    PythonConfig captured = new PythonConfig(python);
    captured.validate();
    return captured;
  }

  /**
   * Makes the paths of a comma-separated {@code path#rest} list absolute: the job is built where
   * they are relative to, the worker starts elsewhere. {@code bothSides}: the part after '#' is a
   * path too.
   */
  private static void absolutize(Map<String, String> python, String key, boolean bothSides) {
    String value = python.get(key);
    if (value == null) {
      return;
    }
    List<String> entries = new ArrayList<>();
    for (String entry : splitFiles(value)) {
      int hash = entry.indexOf('#');
      String path = hash < 0 ? entry : entry.substring(0, hash);
      String rest = hash < 0 ? null : entry.substring(hash + 1).trim();
      String absolute = Path.of(path.trim()).toAbsolutePath().normalize().toString();
      if (rest != null && bothSides && !rest.isEmpty()) {
        rest = Path.of(rest).toAbsolutePath().normalize().toString();
      }
      entries.add(rest == null ? absolute : absolute + "#" + rest);
    }
    python.put(key, String.join(",", entries));
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
    requireOneOf(PythonOptions.WORKER_MODE, workerMode(), SUPPORTED_MODES);
    requireOneOf(PythonOptions.WORKER_SCOPE, workerScope(), SUPPORTED_SCOPES);
    String requirements = settings.get(PythonOptions.PYTHON_REQUIREMENTS.key());
    if (requirements != null) {
      int hash = requirements.indexOf('#');
      if (hash <= 0 || hash == requirements.length() - 1 || requirements.contains(",")) {
        throw new IllegalArgumentException(
            PythonOptions.PYTHON_REQUIREMENTS.key()
                + ": '"
                + requirements
                + "' must be 'requirements.txt#wheel_dir' (pip installs offline from wheel_dir)");
      }
    }
    for (String archive :
        splitFiles(settings.getOrDefault(PythonOptions.PYTHON_ARCHIVES.key(), ""))) {
      String name = archiveName(archive);
      if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
        throw new IllegalArgumentException(
            PythonOptions.PYTHON_ARCHIVES.key()
                + ": '"
                + archive
                + "' needs a plain directory name after '#'");
      }
    }
    if (settings.containsKey(PythonOptions.EXTERNAL_TOKEN.key())
        && settings.containsKey(PythonOptions.EXTERNAL_TOKEN_FILE.key())) {
      throw new IllegalArgumentException(
          "Set only one of "
              + PythonOptions.EXTERNAL_TOKEN.key()
              + " and "
              + PythonOptions.EXTERNAL_TOKEN_FILE.key());
    }
    requirePositive(PythonOptions.BUNDLE_SIZE, bundleSize());
    requirePositive(PythonOptions.BATCH_SIZE, get(PythonOptions.BATCH_SIZE));
    requirePositive(PythonOptions.BUNDLE_TIME, bundleTimeMillis());
    requirePositive(PythonOptions.BUNDLES_IN_FLIGHT, bundlesInFlight());
    requirePositive(PythonOptions.STATE_CACHE_SIZE, stateCacheSize());
    if (startupTimeout().isNegative() || startupTimeout().isZero()) {
      throw new IllegalArgumentException(
          PythonOptions.WORKER_STARTUP_TIMEOUT.key()
              + " must be positive, was "
              + startupTimeout());
    }
  }

  /**
   * Checks what only the complete settings (job over cluster) can tell: that the chosen mode has
   * what it needs.
   *
   * @throws IllegalArgumentException naming the missing key
   */
  public void validateComplete() {
    if (workerMode().equals("docker") && dockerImage() == null) {
      throw new IllegalArgumentException(
          PythonOptions.WORKER_MODE.key()
              + " is 'docker' but "
              + PythonOptions.DOCKER_IMAGE.key()
              + " is not set: name the worker image (see worker-python/Dockerfile)");
    }
    if (workerMode().equals("external") && externalAddress() == null) {
      throw new IllegalArgumentException(
          PythonOptions.WORKER_MODE.key()
              + " is 'external' but "
              + PythonOptions.EXTERNAL_ADDRESS.key()
              + " is not set: give host:port of 'fnharness-worker-pool --port N'");
    }
    if (workerMode().equals("external")) {
      ExternalRunner.check(this);
    }
  }

  private static void requireOneOf(ConfigOption<?> option, String value, List<String> allowed) {
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException(
          option.key() + ": '" + value + "' is not supported; supported: " + allowed);
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

  public String workerScope() {
    return get(PythonOptions.WORKER_SCOPE).trim().toLowerCase(Locale.ROOT);
  }

  /** {@code python.worker.scope: slot}: the Python operators of a slot share one worker. */
  public boolean sharesWorkerInSlot() {
    return workerScope().equals("slot");
  }

  /** {@code null} when not set. */
  public String dockerImage() {
    String image = settings.get(PythonOptions.DOCKER_IMAGE.key());
    return image == null || image.isBlank() ? null : image.trim();
  }

  public List<String> dockerRunArgs() {
    return settings.containsKey(PythonOptions.DOCKER_RUN_ARGS.key())
        ? get(PythonOptions.DOCKER_RUN_ARGS)
        : List.of();
  }

  /** {@code null} when not set. */
  public String externalAddress() {
    String address = settings.get(PythonOptions.EXTERNAL_ADDRESS.key());
    return address == null || address.isBlank() ? null : address.trim();
  }

  /** {@code null} when not set. */
  public String externalToken() {
    return settings.get(PythonOptions.EXTERNAL_TOKEN.key());
  }

  /** {@code null} when not set. */
  public String externalTokenFile() {
    return settings.get(PythonOptions.EXTERNAL_TOKEN_FILE.key());
  }

  /** {@code null} when not set: the runner stays on loopback. */
  public String externalRunnerBindHost() {
    return trimmedOrNull(PythonOptions.EXTERNAL_RUNNER_BIND_HOST);
  }

  /** {@code null} when not set. */
  public String externalRunnerHost() {
    return trimmedOrNull(PythonOptions.EXTERNAL_RUNNER_HOST);
  }

  private String trimmedOrNull(ConfigOption<String> option) {
    String value = settings.get(option.key());
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** These settings with {@code option} set to {@code value} unless it is set already. */
  public PythonConfig withDefault(ConfigOption<String> option, String value) {
    if (settings.containsKey(option.key())) {
      return this;
    }
    Map<String, String> completed = new HashMap<>(settings);
    completed.put(option.key(), value);
    return new PythonConfig(completed);
  }

  /** {@code python.requirements} split at '#', or {@code null}. */
  public WorkerDependencies.Requirements requirements() {
    String requirements = settings.get(PythonOptions.PYTHON_REQUIREMENTS.key());
    if (requirements == null) {
      return null;
    }
    int hash = requirements.indexOf('#');
    return new WorkerDependencies.Requirements(
        requirements.substring(0, hash).trim(), requirements.substring(hash + 1).trim());
  }

  public List<WorkerDependencies.Archive> archives() {
    List<WorkerDependencies.Archive> archives = new ArrayList<>();
    for (String archive :
        splitFiles(settings.getOrDefault(PythonOptions.PYTHON_ARCHIVES.key(), ""))) {
      int hash = archive.indexOf('#');
      archives.add(
          new WorkerDependencies.Archive(
              hash < 0 ? archive : archive.substring(0, hash).trim(), archiveName(archive)));
    }
    return archives;
  }

  /** After '#', or the file name without its archive extension. */
  private static String archiveName(String archive) {
    int hash = archive.indexOf('#');
    if (hash >= 0) {
      return archive.substring(hash + 1).trim();
    }
    String name = Path.of(archive.trim()).getFileName().toString();
    return name.replaceFirst("(\\.tar)?\\.(zip|tar|gz|tgz|bz2|xz)$", "");
  }

  public WorkerDependencies dependencies() {
    return new WorkerDependencies(pythonFiles(), requirements(), archives());
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
