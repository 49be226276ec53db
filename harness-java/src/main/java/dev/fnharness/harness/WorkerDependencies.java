package dev.fnharness.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The user's Python dependencies, as absolute paths on this machine. A worker that sees this
 * machine's files uses them in place; others get them over the Artifact Retrieval service.
 *
 * @param pythonFiles {@code .py} files, directories and {@code .zip}/{@code .whl}/{@code .egg}
 *     files for {@code sys.path} ({@code python.files})
 * @param requirements what to {@code pip install} offline, or {@code null}
 * @param archives archives to extract for the functions ({@code python.archives})
 */
public record WorkerDependencies(
    List<String> pythonFiles, Requirements requirements, List<Archive> archives) {

  public WorkerDependencies {
    pythonFiles = List.copyOf(pythonFiles);
    archives = List.copyOf(archives);
  }

  public static WorkerDependencies of(List<String> pythonFiles) {
    return new WorkerDependencies(pythonFiles, null, List.of());
  }

  /**
   * {@code pip install --no-index --find-links <findLinks> -r <file>}: the worker installs them
   * into a directory named by a hash of both (and of its interpreter), which later workers reuse.
   */
  public record Requirements(String file, String findLinks) {
    public Requirements {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(findLinks, "findLinks");
    }
  }

  /**
   * An archive ({@code .zip}, {@code .tar}, {@code .tar.gz}, {@code .tgz}) the worker extracts and
   * links as {@code name} in its working directory.
   */
  public record Archive(String path, String name) {
    public Archive {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(name, "name");
    }
  }

  /** A path named here and the option that named it. */
  public record NamedPath(String path, String option) {}

  /** Every path named here, in order. */
  public List<NamedPath> paths() {
    List<NamedPath> paths = new ArrayList<>();
    pythonFiles.forEach(p -> paths.add(new NamedPath(p, "python.files")));
    if (requirements != null) {
      paths.add(new NamedPath(requirements.file(), "python.requirements"));
      paths.add(new NamedPath(requirements.findLinks(), "python.requirements"));
    }
    archives.forEach(a -> paths.add(new NamedPath(a.path(), "python.archives")));
    return paths;
  }

  /**
   * @throws IllegalArgumentException naming the option and the path of the first entry that does
   *     not exist, or a requirements wheel directory that is not a directory
   */
  public void checkExist() {
    for (NamedPath entry : paths()) {
      if (!Files.exists(Path.of(entry.path()))) {
        throw new IllegalArgumentException(
            entry.option() + " entry '" + entry.path() + "' does not exist");
      }
    }
    if (requirements != null && !Files.isDirectory(Path.of(requirements.findLinks()))) {
      throw new IllegalArgumentException(
          "python.requirements: '"
              + requirements.findLinks()
              + "' (after '#') must be a directory of"
              + " wheels or source archives for pip --find-links");
    }
  }
}
