package dev.fnharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordReaderTest {

  @TempDir Path dir;

  private List<RecordReader.Result> read(byte[] file, RecordFraming framing, int limit)
      throws Exception {
    Path path = Files.write(dir.resolve("in"), file);
    List<RecordReader.Result> results = new ArrayList<>();
    try (RecordReader reader =
        new RecordReader(java.nio.channels.FileChannel.open(path), framing, limit)) {
      for (RecordReader.Result r; (r = reader.next()) != null; ) {
        results.add(r);
      }
    }
    return results;
  }

  private List<RecordReader.Result> csv(String file) throws Exception {
    return read(file.getBytes(StandardCharsets.UTF_8), new CsvRecordFraming(), 1 << 20);
  }

  private static RecordReader.Text text(long line, int lines, String text) {
    return new RecordReader.Text(line, lines, text);
  }

  @Test
  void quotedFieldsHoldLineBreaksAsTheFileHasThemAndKeepTheFirstLinesNumber() throws Exception {
    assertThat(csv("1,\"two\nlines\"\r\n2,\"a\r\nb\",\"c\rd\"\n\n3,x\r4,\"\"\"q\"\"\n\"\n"))
        .containsExactly(
            text(1, 2, "1,\"two\nlines\""),
            text(3, 3, "2,\"a\r\nb\",\"c\rd\""), // a lone \r is a line break too
            text(6, 1, ""),
            text(7, 1, "3,x"),
            text(8, 2, "4,\"\"\"q\"\"\n\""));
  }

  @Test
  void aByteOrderMarkIsSkippedAndTheLastLineNeedsNoBreak() throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', ',', 'b', '\n', 'c'};

    assertThat(read(bom, RecordFraming.ONE_LINE, 100))
        .containsExactly(text(1, 1, "a,b"), text(2, 1, "c"));
  }

  @Test
  void jsonLinesAreOneLineEachWhateverQuotesTheyHold() throws Exception {
    byte[] file = "{\"a\": \"x\n\"b\"}\n".getBytes(StandardCharsets.UTF_8);

    assertThat(read(file, RecordFraming.ONE_LINE, 100))
        .containsExactly(text(1, 1, "{\"a\": \"x"), text(2, 1, "\"b\"}"));
  }

  @Test
  void aQuoteNeverClosedIsReportedAtItsLineAndReadingGoesOnAfterIt() throws Exception {
    List<RecordReader.Result> results = csv("1,a\n2,\"oops\n3,c\n4,d");

    assertThat(results.get(0)).isEqualTo(text(1, 1, "1,a"));
    RecordReader.Unreadable bad = (RecordReader.Unreadable) results.get(1);
    assertThat(bad.line()).isEqualTo(2);
    assertThat(bad.lines()).isEqualTo(1);
    assertThat(new String(bad.verbatim(), StandardCharsets.UTF_8)).isEqualTo("2,\"oops");
    assertThat(bad.problem())
        .isEqualTo("the quote at character 3 is never closed: the file ends inside it");
    assertThat(results.subList(2, 4)).containsExactly(text(3, 1, "3,c"), text(4, 1, "4,d"));
  }

  @Test
  void aQuoteOpenedOnALaterLineOfTheRecordIsNamedByItsLine() throws Exception {
    List<RecordReader.Result> results = csv("1,\"a\nb\",\"c\n2,d\n");

    RecordReader.Unreadable bad = (RecordReader.Unreadable) results.get(0);
    assertThat(bad.line()).isEqualTo(1);
    assertThat(bad.lines()).isEqualTo(2);
    assertThat(new String(bad.verbatim(), StandardCharsets.UTF_8)).isEqualTo("1,\"a\nb\",\"c");
    assertThat(bad.problem()).startsWith("the quote at line 2, character 4 is never closed");
    assertThat(results.subList(1, 2)).containsExactly(text(3, 1, "2,d"));
  }

  @Test
  void aRecordPastTheLimitIsUnreadableAndOnlyAQuotesLinesAreKept() throws Exception {
    List<RecordReader.Result> results =
        read(
            "ok\n0123456789ABC\n\"x\n0123456789\n0123456789\nend\n".getBytes(),
            new CsvRecordFraming(),
            12);

    assertThat(results.get(0)).isEqualTo(text(1, 1, "ok"));
    RecordReader.Unreadable line = (RecordReader.Unreadable) results.get(1);
    assertThat(line.line()).isEqualTo(2);
    assertThat(line.verbatim()).isNull();
    assertThat(line.problem())
        .isEqualTo(
            "the line is longer than 12 bytes, the most a record may have (--max-record-size)");
    RecordReader.Unreadable quote = (RecordReader.Unreadable) results.get(2);
    assertThat(quote.line()).isEqualTo(3);
    assertThat(quote.verbatim()).isEqualTo("\"x".getBytes());
    assertThat(quote.problem())
        .isEqualTo(
            "the quote at character 1 is never closed: it is still open after 12 bytes, the most"
                + " a record may have (--max-record-size)");
    assertThat(results.subList(3, 6))
        .containsExactly(text(4, 1, "0123456789"), text(5, 1, "0123456789"), text(6, 1, "end"));
  }

  @Test
  void invalidUtf8IsUnreadableWithItsBytesAndPlace() throws Exception {
    byte[] file = {'a', ',', (byte) 0xC3, '(', '\n', '"', 'x', '\n', (byte) 0xFF, '"', '\n', 'b'};

    List<RecordReader.Result> results = read(file, new CsvRecordFraming(), 100);

    RecordReader.Unreadable first = (RecordReader.Unreadable) results.get(0);
    assertThat(first.line()).isEqualTo(1);
    assertThat(first.verbatim()).isEqualTo(new byte[] {'a', ',', (byte) 0xC3, '('});
    assertThat(first.problem()).isEqualTo("invalid UTF-8 at byte 3 (0xC3 0x28)");
    RecordReader.Unreadable second = (RecordReader.Unreadable) results.get(1);
    assertThat(second.line()).isEqualTo(2);
    assertThat(second.lines()).isEqualTo(2);
    assertThat(second.problem()).isEqualTo("invalid UTF-8 at byte 1 of line 3 (0xFF 0x22)");
    assertThat(results.get(2)).isEqualTo(text(4, 1, "b"));
  }
}
