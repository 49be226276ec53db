package dev.fnharness.flink.internal.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.flink.runtime.execution.Environment;

/**
 * A directory under the TaskManager's temporary directories ({@code io.tmp.dirs}) for the links
 * that give shipped python.files their own names again: one operator's (removed when it closes), or
 * one per job and file set (shared by the operators of a slot's worker, left for Flink to clear).
 * The files it links to belong to Flink's distributed cache.
 */
final class LocalFileLinks {

  private final Path directory;

  private LocalFileLinks(Environment environment, String name) {
    String[] tmpDirs = environment.getTaskManagerInfo().getTmpDirectories();
    this.directory = Path.of(tmpDirs[0], "fnharness-python-files-" + name);
  }

  static LocalFileLinks ownedBy(Environment environment, String workerId) {
    return new LocalFileLinks(environment, workerId);
  }

  static LocalFileLinks sharedByJob(Environment environment, ShippedPythonFiles files) {
    return new LocalFileLinks(
        environment, environment.getJobID() + "-" + Integer.toHexString(files.hashCode()));
  }

  Path directory() {
    return directory;
  }

  void delete() {
    if (!Files.exists(directory)) {
      return;
    }
    // walk does not follow the links, so only the links go, never their targets
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(LocalFileLinks::deleteQuietly);
    } catch (IOException | UncheckedIOException e) {
      // a leftover directory of links is harmless; Flink removes its tmp dirs at shutdown
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // see delete()
    }
  }
}
