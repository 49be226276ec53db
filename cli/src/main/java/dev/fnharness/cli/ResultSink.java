package dev.fnharness.cli;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.types.Either;

/**
 * Writes what the job sends back, on the client: output lines to the output file (or stdout),
 * rejected lines verbatim to the reject file, and the reasons of the first few to stderr.
 */
final class ResultSink implements Closeable {

  static final int REASONS_SHOWN = 10;

  private final Writer output;
  private final boolean closeOutput;
  private final OutputStream rejects;
  private final String inputLabel;
  private final PrintWriter messages;
  private long rows;
  private long rejected;

  /**
   * @param output a file, or null for stdout
   * @param rejectFile where rejected lines go, or null when there is none
   */
  ResultSink(
      Path output,
      Optional<String> header,
      Path rejectFile,
      String inputLabel,
      PrintWriter messages)
      throws IOException {
    this.output =
        output == null
            ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
            : Files.newBufferedWriter(createParent(output), StandardCharsets.UTF_8);
    this.closeOutput = output != null;
    this.rejects =
        rejectFile == null
            ? null
            : new BufferedOutputStream(Files.newOutputStream(createParent(rejectFile)));
    this.inputLabel = inputLabel;
    this.messages = messages;
    if (header.isPresent()) {
      this.output.write(header.get());
      this.output.write('\n');
    }
  }

  private static Path createParent(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return file;
  }

  void accept(Either<Tuple3<Long, byte[], String>, String> result) throws IOException {
    if (result.isRight()) {
      output.write(result.right());
      output.write('\n');
      rows++;
      return;
    }
    Tuple3<Long, byte[], String> line = result.left();
    rejected++;
    rejects.write(line.f1);
    rejects.write('\n');
    if (rejected <= REASONS_SHOWN) {
      messages.println("rejected " + inputLabel + ":" + line.f0 + ": " + line.f2);
    } else if (rejected == REASONS_SHOWN + 1) {
      messages.println("(more rejected lines: see the reject file)");
    }
  }

  long rows() {
    return rows;
  }

  long rejected() {
    return rejected;
  }

  @Override
  public void close() throws IOException {
    try {
      if (closeOutput) {
        output.close();
      } else {
        output.flush();
      }
    } finally {
      if (rejects != null) {
        rejects.close();
      }
    }
  }
}
