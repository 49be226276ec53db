package dev.fnharness.flink.internal.config;

import dev.fnharness.flink.PythonOptions;
import dev.fnharness.harness.WorkerDependencies;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the worker needs besides its code: {@code python.files}, {@code python.requirements} ({@code
 * requirements.txt#wheel_dir}) and {@code python.archives} ({@code path} or {@code path#name},
 * comma-separated): making their paths absolute when the job is built, checking their form, and
 * reading them.
 */
final class DependencySettings {

  private DependencySettings() {}

  /**
   * Makes every path of the three keys absolute: the job is built where they are relative to, the
   * worker starts elsewhere.
   */
  static void absolutize(Map<String, String> python) {
    String files = python.get(PythonOptions.PYTHON_FILES.key());
    if (files != null) {
      python.put(
          PythonOptions.PYTHON_FILES.key(),
          String.join(",", splitList(files).stream().map(DependencySettings::absolute).toList()));
    }
    absolutize(python, PythonOptions.PYTHON_REQUIREMENTS.key(), true);
    absolutize(python, PythonOptions.PYTHON_ARCHIVES.key(), false);
  }

  /**
   * A comma-separated {@code path#rest} list. {@code bothSides}: the part after '#' is a path too.
   */
  private static void absolutize(Map<String, String> python, String key, boolean bothSides) {
    String value = python.get(key);
    if (value == null) {
      return;
    }
    List<String> entries = new ArrayList<>();
    for (String entry : splitList(value)) {
      int hash = entry.indexOf('#');
      String path = hash < 0 ? entry : entry.substring(0, hash);
      String rest = hash < 0 ? null : entry.substring(hash + 1).trim();
      if (rest != null && bothSides && !rest.isEmpty()) {
        rest = absolute(rest);
      }
      entries.add(rest == null ? absolute(path) : absolute(path) + "#" + rest);
    }
    python.put(key, String.join(",", entries));
  }

  private static String absolute(String path) {
    return Path.of(path.trim()).toAbsolutePath().normalize().toString();
  }

  /**
   * @throws IllegalArgumentException naming the key and the entry of a malformed value
   */
  static void check(Map<String, String> settings) {
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
        splitList(settings.getOrDefault(PythonOptions.PYTHON_ARCHIVES.key(), ""))) {
      String name = archiveName(archive);
      if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
        throw new IllegalArgumentException(
            PythonOptions.PYTHON_ARCHIVES.key()
                + ": '"
                + archive
                + "' needs a plain directory name after '#'");
      }
    }
  }

  static List<String> pythonFiles(Map<String, String> settings) {
    String files = settings.get(PythonOptions.PYTHON_FILES.key());
    return files == null ? List.of() : splitList(files);
  }

  /** {@code python.requirements} split at '#', or {@code null}. */
  static WorkerDependencies.Requirements requirements(Map<String, String> settings) {
    String requirements = settings.get(PythonOptions.PYTHON_REQUIREMENTS.key());
    if (requirements == null) {
      return null;
    }
    int hash = requirements.indexOf('#');
    return new WorkerDependencies.Requirements(
        requirements.substring(0, hash).trim(), requirements.substring(hash + 1).trim());
  }

  static List<WorkerDependencies.Archive> archives(Map<String, String> settings) {
    List<WorkerDependencies.Archive> archives = new ArrayList<>();
    for (String archive :
        splitList(settings.getOrDefault(PythonOptions.PYTHON_ARCHIVES.key(), ""))) {
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

  /** The non-blank entries of a comma-separated list, trimmed. */
  private static List<String> splitList(String list) {
    List<String> result = new ArrayList<>();
    for (String part : list.split(",")) {
      if (!part.isBlank()) {
        result.add(part.trim());
      }
    }
    return result;
  }
}
