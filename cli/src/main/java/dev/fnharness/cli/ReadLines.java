package dev.fnharness.cli;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Reads the input file as records ({@link RecordReader}), each numbered by the line of the file it
 * starts on. Runs once, at parallelism 1, so the numbers are the file's; the records are parsed in
 * parallel downstream. Blank lines and a header line are skipped. A record that cannot be read
 * (invalid UTF-8, a quote never closed) fails the job naming file and line, or, with a reject file,
 * goes to {@link Rejected#TAG}; one too long to hold fails the job either way.
 */
final class ReadLines extends ProcessFunction<String, Tuple2<Long, String>> {

  private static final long serialVersionUID = 1L;

  private final InputFile input;
  private final LineParser parser;
  private final boolean reject;
  private final int maxRecordBytes;

  ReadLines(InputFile input, LineParser parser, boolean reject, int maxRecordBytes) {
    this.input = input;
    this.parser = parser;
    this.reject = reject;
    this.maxRecordBytes = maxRecordBytes;
  }

  @Override
  public void processElement(String ignored, Context ctx, Collector<Tuple2<Long, String>> out)
      throws Exception {
    try (RecordReader reader =
        new RecordReader(
            FileChannel.open(input.open(getRuntimeContext())), parser.framing(), maxRecordBytes)) {
      for (RecordReader.Result result; (result = reader.next()) != null; ) {
        if (result instanceof RecordReader.Text record) {
          if (!skips(parser, record)) {
            out.collect(Tuple2.of(record.line(), record.text()));
          }
        } else {
          RecordReader.Unreadable bad = (RecordReader.Unreadable) result;
          if (!reject || bad.verbatim() == null) {
            throw new InputLineException(input.label(), bad.line(), bad.problem());
          }
          ctx.output(Rejected.TAG, Tuple3.of(bad.line(), bad.verbatim(), bad.problem()));
        }
      }
    }
  }

  /** Blank lines and a header line (the file's first record, for a format that has headers). */
  static boolean skips(LineParser parser, RecordReader.Text record) {
    return record.text().isBlank() || (record.line() == 1 && parser.isHeader(record.text()));
  }

  /** The bytes a parsed record had in the file, for the reject file. */
  static byte[] verbatim(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
