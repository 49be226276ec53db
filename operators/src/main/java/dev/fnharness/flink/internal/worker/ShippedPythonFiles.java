package dev.fnharness.flink.internal.worker;

import dev.fnharness.flink.PythonOptions;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.cache.DistributedCache;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job's {@code python.files}, carried to the TaskManagers in Flink's distributed cache: the
 * client registers each file or directory with the job ({@link #register}), and each operator finds
 * its TaskManager-local copy when it opens ({@link #localize}). So a job submitted to a remote
 * cluster brings its Python code along, as its jar brings its classes.
 *
 * <p>A local run ({@code execution.target: local}, the MiniCluster that {@code
 * getExecutionEnvironment()} starts in the client's JVM) ships nothing: its TaskManager sees the
 * client's files where they are, and a job with cached files would hold the JVM's exit for 5 s.
 * Flink's {@code FileCache} deletes a job's copies 5 s after its last task released them (a task
 * scheduled on its executor), and its {@code shutdown()}, which the TaskManager calls when the
 * MiniCluster closes, waits up to those 5 s for the executor's pending tasks.
 */
@Internal
public final class ShippedPythonFiles implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final String CACHE_NAME_PREFIX = "fnharness-python-files-";

  /** What LocalStreamEnvironment sets; a MiniClusterExtension's environment says "minicluster". */
  private static final String LOCAL_TARGET = "local";

  /** One python.files entry: where it was on the client, and its name in the cache. */
  private record Entry(String clientPath, String cacheName, boolean directory)
      implements Serializable {}

  private final List<Entry> entries;

  private ShippedPythonFiles(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Nothing shipped: the operator uses python.files as they are (e.g. set on the cluster). */
  public static ShippedPythonFiles none() {
    return new ShippedPythonFiles(List.of());
  }

  /**
   * Registers every entry of {@code clientPaths} (absolute paths) in the job's distributed cache,
   * once per job however many operators use it; for a local run, none (see above).
   *
   * @throws IllegalArgumentException naming the entry when it does not exist on the client
   */
  public static ShippedPythonFiles register(
      StreamExecutionEnvironment env, List<String> clientPaths) {
    for (String clientPath : clientPaths) {
      if (!Files.exists(Path.of(clientPath))) {
        throw new IllegalArgumentException(
            PythonOptions.PYTHON_FILES.key() + " entry '" + clientPath + "' does not exist");
      }
    }
    if (LOCAL_TARGET.equals(env.getConfiguration().get(DeploymentOptions.TARGET))) {
      return none();
    }
    List<Entry> entries = new ArrayList<>();
    for (String clientPath : clientPaths) {
      Path path = Path.of(clientPath);
      Entry entry = new Entry(clientPath, cacheName(clientPath), Files.isDirectory(path));
      boolean known =
          env.getCachedFiles().stream().map(t -> t.f0).anyMatch(entry.cacheName()::equals);
      if (!known) {
        env.registerCachedFile(clientPath, entry.cacheName());
      }
      entries.add(entry);
    }
    return new ShippedPythonFiles(entries);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * This TaskManager's copies, in python.files order. Directories come back expanded, under their
   * own name. A plain file comes back named after its blob, so it is linked as {@code
   * linkDirectory/<its own name>}: the worker imports a module by its file name.
   */
  public List<String> localize(DistributedCache cache, Path linkDirectory) throws IOException {
    List<String> local = new ArrayList<>();
    for (Entry entry : entries) {
      File copy = cache.getFile(entry.cacheName());
      if (entry.directory()) {
        local.add(copy.getAbsolutePath());
        continue;
      }
      Path link = linkDirectory.resolve(Path.of(entry.clientPath()).getFileName().toString());
      if (isLinkTo(link, copy.toPath())) {
        // another operator of the slot made it already
        local.add(link.toString());
        continue;
      }
      if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        // two entries with one file name: the worker would see one module anyway
        link = Files.createTempDirectory(linkDirectory, "more-").resolve(link.getFileName());
      }
      Files.createDirectories(linkDirectory);
      try {
        Files.createSymbolicLink(link, copy.toPath().toAbsolutePath());
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        if (!isLinkTo(link, copy.toPath())) {
          throw raced;
        }
      } catch (UnsupportedOperationException | IOException e) {
        Files.copy(copy.toPath(), link);
      }
      local.add(link.toString());
    }
    return local;
  }

  private static boolean isLinkTo(Path link, Path target) {
    try {
      return Files.isSymbolicLink(link)
          && Files.readSymbolicLink(link).equals(target.toAbsolutePath());
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ShippedPythonFiles files && files.entries.equals(entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  /** The same client path gives the same name, so operators sharing a file share one entry. */
  private static String cacheName(String clientPath) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(clientPath.getBytes(StandardCharsets.UTF_8));
      return CACHE_NAME_PREFIX
          + HexFormat.of().formatHex(hash, 0, 8)
          + "-"
          + Path.of(clientPath).getFileName();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  /** For tests: the cache names, in python.files order. */
  List<String> cacheNames() {
    return entries.stream().map(Entry::cacheName).toList();
  }

  @Override
  public String toString() {
    return entries.stream().map(e -> e.clientPath() + " as " + e.cacheName()).toList().toString();
  }
}
