package dev.fnharness.harness.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A directory as a zip stream, written on a helper thread as it is read: a shipped directory (a
 * package, a wheel directory) needs neither a temporary file nor all its bytes in memory.
 */
public final class DirectoryZipStream {

  private static final int PIPE_BYTES = 1 << 20;

  private DirectoryZipStream() {}

  static InputStream open(Path directory) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(directory)) {
      // Sorted, so the same directory always gives the same bytes.
      files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
    PipedInputStream in = new PipedInputStream(PIPE_BYTES);
    PipedOutputStream out = new PipedOutputStream(in);
    Thread writer =
        new Thread(
            () -> {
              try {
                ZipOutputStream zip = new ZipOutputStream(out);
                for (Path file : files) {
                  String name = directory.relativize(file).toString().replace('\\', '/');
                  zip.putNextEntry(new ZipEntry(name));
                  Files.copy(file, zip);
                  zip.closeEntry();
                }
                zip.close();
              } catch (IOException e) {
                // A file vanished or the reader went away. Closing the read end makes the
                // reader fail ("Pipe closed") rather than see a well-formed, incomplete zip.
                closeQuietly(in);
              }
            },
            "fnharness-zip-" + directory.getFileName());
    writer.setDaemon(true);
    writer.start();
    return in;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
