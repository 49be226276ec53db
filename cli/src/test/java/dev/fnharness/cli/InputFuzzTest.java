package dev.fnharness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds the CSV and JSON-lines readers ({@link RecordReader}, the parsers, the skipping of blank
 * and header lines, as {@link ReadLines} and {@link ParseLines} run them) seeded random files:
 * valid rows written in the ways other tools write them, blank lines, bad rows, invalid UTF-8, huge
 * fields, truncated lines and stray quotes. Every line must be read correctly or reported with its
 * line number and its bytes as in the file; nothing may crash, hang or go missing.
 *
 * <p>A failure names the seed: {@code InputFuzzFiles.csv(new Random(seed), ...)} makes the file
 * again.
 */
class InputFuzzTest {

  private static final int FILES = 150;
  private static final int LIMIT = 8 << 20;

  @TempDir Path dir;

  @Test
  void csvFilesOfValidBadAndBlankRecordsAreReadExactly() throws Exception {
    for (long seed = 1; seed <= FILES; seed++) {
      InputFuzzFiles.File file = InputFuzzFiles.csv(new Random(seed), false);
      assertExactly(seed, file, FileFormat.CSV);
    }
  }

  @Test
  void jsonLinesFilesOfValidBadAndBlankRecordsAreReadExactly() throws Exception {
    for (long seed = 1; seed <= FILES; seed++) {
      InputFuzzFiles.File file = InputFuzzFiles.json(new Random(seed), false);
      assertExactly(seed, file, FileFormat.JSONL);
    }
  }

  @Test
  void csvFilesWithTruncatedLinesStrayQuotesAndRandomBytesLoseNothing() throws Exception {
    for (long seed = 1; seed <= FILES; seed++) {
      InputFuzzFiles.File file = InputFuzzFiles.csv(new Random(seed), true);
      assertNothingLost(seed, file, FileFormat.CSV, LIMIT);
      assertNothingLost(seed, file, FileFormat.CSV, 40 + (int) (seed % 200)); // the limit's paths
    }
  }

  @Test
  void jsonLinesFilesWithTruncatedLinesStrayQuotesAndRandomBytesLoseNothing() throws Exception {
    for (long seed = 1; seed <= FILES; seed++) {
      InputFuzzFiles.File file = InputFuzzFiles.json(new Random(seed), true);
      assertNothingLost(seed, file, FileFormat.JSONL, LIMIT);
      assertNothingLost(seed, file, FileFormat.JSONL, 40 + (int) (seed % 200));
    }
  }

  // --- what the readers make of a file -----------------------------------------------------------

  /** What became of one record: a row, a reported bad record, or a skipped blank or header line. */
  sealed interface Outcome permits Parsed, Bad, Skipped {
    long line();

    int lines();
  }

  record Parsed(long line, int lines, Row row, String text) implements Outcome {}

  /**
   * @param verbatim what the reject file would get, null when the line was too long to keep
   */
  record Bad(long line, int lines, byte[] verbatim, String reason) implements Outcome {}

  record Skipped(long line, int lines) implements Outcome {}

  private List<Outcome> read(long seed, byte[] bytes, FileFormat format, int limit)
      throws Exception {
    LineParser parser = format.parser(InputFuzzFiles.SCHEMA);
    Path path = Files.write(dir.resolve("fuzz-" + seed), bytes);
    return assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          List<Outcome> outcomes = new ArrayList<>();
          try (RecordReader reader =
              new RecordReader(java.nio.channels.FileChannel.open(path), parser.framing(), limit)) {
            for (RecordReader.Result r; (r = reader.next()) != null; ) {
              outcomes.add(outcome(parser, r));
            }
          }
          return outcomes;
        },
        "seed " + seed + " took too long");
  }

  private static Outcome outcome(LineParser parser, RecordReader.Result result) {
    if (result instanceof RecordReader.Unreadable bad) {
      return new Bad(bad.line(), bad.lines(), bad.verbatim(), bad.problem());
    }
    RecordReader.Text record = (RecordReader.Text) result;
    if (ReadLines.skips(parser, record)) {
      return new Skipped(record.line(), record.lines());
    }
    try {
      return new Parsed(record.line(), record.lines(), parser.parse(record.text()), record.text());
    } catch (BadLineException e) {
      return new Bad(
          record.line(), record.lines(), ReadLines.verbatim(record.text()), e.getMessage());
    }
  }

  private static InputFuzzFiles.Kind kind(Outcome o) {
    return o instanceof Parsed
        ? InputFuzzFiles.Kind.VALID
        : o instanceof Bad ? InputFuzzFiles.Kind.BAD : InputFuzzFiles.Kind.BLANK;
  }

  // --- the checks
  // ----------------------------------------------------------------------------------

  /** Files without chaos: each segment comes out as the generator expects, line by line. */
  private void assertExactly(long seed, InputFuzzFiles.File file, FileFormat format)
      throws Exception {
    List<Outcome> outcomes = read(seed, file.bytes(), format, LIMIT);
    List<InputFuzzFiles.Expected> expected = file.expected();
    assertThat(outcomes.stream().map(o -> o.line() + " " + kind(o)).toList())
        .as("seed %d: the records' lines and kinds", seed)
        .isEqualTo(expected.stream().map(e -> e.line() + " " + e.kind()).toList());
    for (int i = 0; i < expected.size(); i++) {
      InputFuzzFiles.Expected e = expected.get(i);
      Outcome o = outcomes.get(i);
      String where = "seed " + seed + ", segment " + i + " (" + e.kind() + ")";
      assertThat(o.line()).as(where + ": line").isEqualTo(e.line());
      switch (e.kind()) {
        case VALID -> {
          assertThat(o).as(where).isInstanceOf(Parsed.class);
          assertThat(((Parsed) o).row()).as(where).isEqualTo(e.row());
        }
        case BAD -> {
          assertThat(o).as(where + " should be bad").isInstanceOf(Bad.class);
          assertThat(((Bad) o).verbatim()).as(where + ": verbatim").isEqualTo(e.bytes());
          assertThat(((Bad) o).reason()).as(where).isNotBlank();
        }
        case BLANK -> assertThat(o).as(where).isInstanceOf(Skipped.class);
        default -> fail("unknown kind " + e.kind());
      }
    }
    assertNothingLost(seed, file, format, LIMIT);
  }

  /**
   * Any file: the records cover every line of the file once, in order; each holds the file's bytes
   * of its lines (so a reject file gets them verbatim); rows read back the same once written out;
   * the segments before the first one of chaos come out exactly as expected.
   */
  private void assertNothingLost(long seed, InputFuzzFiles.File file, FileFormat format, int limit)
      throws Exception {
    List<Outcome> outcomes = read(seed, file.bytes(), format, limit);
    List<byte[][]> lines = InputFuzzFiles.lines(file.bytes());
    long next = 1;
    RowFormatter writer = new RowFormatter(format, InputFuzzFiles.SCHEMA.columns());
    LineParser parser = format.parser(InputFuzzFiles.SCHEMA);
    for (Outcome o : outcomes) {
      String where = "seed " + seed + ", limit " + limit + ", line " + o.line();
      assertThat(o.line()).as(where + ": records in order, every line in one").isEqualTo(next);
      assertThat(o.lines()).as(where).isPositive();
      next += o.lines();
      byte[] inFile = InputFuzzFiles.span(lines, o.line(), o.lines());
      if (o instanceof Parsed parsed) {
        assertThat(ReadLines.verbatim(parsed.text())).as(where + ": verbatim").isEqualTo(inFile);
        Row again = parser.parse(writer.format(parsed.row()));
        assertThat(again).as(where + ": written and read back").isEqualTo(parsed.row());
      } else if (o instanceof Bad bad) {
        assertThat(bad.reason()).as(where).isNotBlank();
        if (bad.verbatim() == null) {
          assertThat(bad.reason()).as(where).contains("longer than");
          assertThat(inFile.length).as(where).isGreaterThan(limit);
        } else {
          assertThat(bad.verbatim()).as(where + ": verbatim").isEqualTo(inFile);
        }
      }
    }
    assertThat(next - 1).as("seed %d, limit %d: lines read", seed, limit).isEqualTo(lines.size());
    if (limit == LIMIT) {
      java.util.Map<Long, Outcome> byLine = new java.util.HashMap<>();
      outcomes.forEach(o -> byLine.put(o.line(), o));
      for (InputFuzzFiles.Expected e : file.expected()) {
        if (e.kind() == InputFuzzFiles.Kind.VALID && e.line() < file.firstChaosLine()) {
          String where = "seed " + seed + ": the valid row at line " + e.line() + ", before chaos";
          assertThat(byLine.get(e.line())).as(where).isInstanceOf(Parsed.class);
          assertThat(((Parsed) byLine.get(e.line())).row()).as(where).isEqualTo(e.row());
        }
      }
    }
  }

  /** The fuzz files' byte spans, joined as the file has them: a check of the check. */
  @Test
  void theTestsOwnLineSplitterAgreesWithHandWrittenFiles() {
    byte[] file = "a\r\nb\rc\n\nd".getBytes(StandardCharsets.UTF_8);
    List<byte[][]> lines = InputFuzzFiles.lines(file);

    assertThat(lines).hasSize(5);
    assertThat(new String(InputFuzzFiles.span(lines, 1, 3), StandardCharsets.UTF_8))
        .isEqualTo("a\r\nb\rc");
    assertThat(InputFuzzFiles.span(lines, 4, 1)).isEmpty();
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[][] line : lines) {
      joined.writeBytes(line[0]);
      joined.writeBytes(line[1]);
    }
    assertThat(joined.toByteArray()).isEqualTo(file);
    assertThat(Arrays.equals(InputFuzzFiles.span(lines, 5, 1), new byte[] {'d'})).isTrue();
  }
}
