package dev.fnharness.harness.environment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The Python worker package that travels inside the jar as {@code fnharness/fnharness-worker.zip},
 * unpacked once per JVM into {@code ${java.io.tmpdir}/fnharness-worker-<content hash>/}.
 *
 * <p>The directory name is the hash of the zip, so a changed worker never reuses a stale copy and
 * an unchanged one is shared by every JVM on the machine. Two JVMs that race both unpack into
 * private temp directories and rename; the loser finds the winner's directory and drops its own.
 */
public final class WorkerPackage {

  static final String RESOURCE = "fnharness/fnharness-worker.zip";

  private static volatile Path unpacked;

  private WorkerPackage() {}

  /** The directory to put on the worker's {@code PYTHONPATH}; unpacks on first call. */
  public static Path directory() {
    Path dir = unpacked;
    if (dir == null) {
      synchronized (WorkerPackage.class) {
        dir = unpacked;
        if (dir == null) {
          dir = unpack(readResource(), Paths.get(System.getProperty("java.io.tmpdir")));
          unpacked = dir;
        }
      }
    }
    return dir;
  }

  private static byte[] readResource() {
    ClassLoader loader = WorkerPackage.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "Python worker package "
                + RESOURCE
                + " is not on the classpath"
                + " (it comes from the fnharness-worker-python jar)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
  }

  /** Unpacks {@code zip} under {@code parent} unless an identical copy is already there. */
  static Path unpack(byte[] zip, Path parent) {
    Path target = parent.resolve("fnharness-worker-" + sha256(zip).substring(0, 16));
    if (Files.isDirectory(target)) {
      return target;
    }
    Path staging = null;
    try {
      Files.createDirectories(parent);
      staging = Files.createTempDirectory(parent, "fnharness-worker-unpacking-");
      extract(zip, staging);
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        staging = null;
      } catch (IOException e) {
        // Another JVM or thread won the race (Linux reports ENOTEMPTY as a plain
        // FileSystemException): its copy has the same content.
        if (!Files.isDirectory(target)) {
          throw e;
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot unpack the Python worker package into " + target, e);
    } finally {
      if (staging != null) {
        deleteQuietly(staging);
      }
    }
  }

  private static void extract(byte[] zip, Path into) throws IOException {
    try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        Path out = into.resolve(entry.getName()).normalize();
        if (!out.startsWith(into)) {
          throw new IOException("Zip entry escapes the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(in, out);
        }
      }
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // a leftover temp directory is harmless
    }
  }
}
