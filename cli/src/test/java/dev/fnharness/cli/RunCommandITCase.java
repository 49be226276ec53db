package dev.fnharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fnharness run} in this JVM, on an embedded MiniCluster with real Python workers. */
class RunCommandITCase {

  private static final String PYTHON = System.getProperty("fnharness.test.python", "python3");

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private Path input(String name, String... lines) throws Exception {
    return Files.write(dir.resolve(name), List.of(lines));
  }

  private static String udfs() throws URISyntaxException {
    return Path.of(RunCommandITCase.class.getResource("/udfs/cli_udfs.py").toURI()).toString();
  }

  @Test
  void scalarAndTableUdfsWithNestedCallsConstantsAndKeptColumns() throws Exception {
    Path in = input("in.csv", "id,line", "1, hello world ", "2,", "3,\"a, b\"");
    Path outFile = dir.resolve("out/result.jsonl");

    int code =
        run(
            "run",
            "--input",
            in.toString(),
            "--schema",
            "id BIGINT, line STRING",
            "--python-files",
            udfs(),
            "--python",
            PYTHON,
            "--parallelism",
            "1",
            "--udf",
            "cli_udfs:add(id, 10) AS id_plus BIGINT",
            "--udf",
            "cli_udfs:upper(cli_udfs:strip(line)) AS loud STRING",
            "--table-udf",
            "cli_udfs:words(loud) AS (word STRING, length INT)",
            "--keep",
            "id",
            "--output",
            outFile.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(Files.readAllLines(outFile))
        .containsExactly(
            "{\"id\":1,\"id_plus\":11,\"loud\":\"HELLO WORLD\",\"word\":\"HELLO\",\"length\":5}",
            "{\"id\":1,\"id_plus\":11,\"loud\":\"HELLO WORLD\",\"word\":\"WORLD\",\"length\":5}",
            "{\"id\":3,\"id_plus\":13,\"loud\":\"A, B\",\"word\":\"A,\",\"length\":2}",
            "{\"id\":3,\"id_plus\":13,\"loud\":\"A, B\",\"word\":\"B\",\"length\":1}");
    assertThat(err.toString()).contains("fnharness: 4 rows in ");
  }

  @Test
  void decimalArrayMapAndRowColumnsCrossToPythonAndBackAsJsonInCsv() throws Exception {
    Path in =
        input(
            "nested.csv",
            "id,price,tags,scores",
            "1,19.99,\"[\"\"red\"\", \"\"big\"\"]\",\"{\"\"a\"\": 1.5, \"\"b\"\": 2.5}\"",
            "2,,[],{}",
            "3,0.5,,\"{\"\"x\"\": null}\"");
    Path outFile = dir.resolve("nested-out.csv");

    int code =
        run(
            "run",
            "--input",
            in.toString(),
            "--schema",
            "id BIGINT, price DECIMAL(10, 2), tags ARRAY<STRING>, scores MAP<STRING, DOUBLE>",
            "--python-files",
            udfs(),
            "--python",
            PYTHON,
            "--parallelism",
            "1",
            "--udf",
            "cli_udfs:identity(tags) AS same_tags ARRAY<STRING>",
            "--udf",
            "cli_udfs:with_tax(price) AS gross DECIMAL(10, 2)",
            "--udf",
            "cli_udfs:total(scores) AS total DOUBLE",
            "--udf",
            "cli_udfs:first_tag(id, tags) AS first ROW<id BIGINT, tag STRING>",
            "--keep",
            "id,price",
            "--output",
            outFile.toString());

    assertThat(code).as(err.toString()).isZero();
    // 19.99 * 1.2 = 23.988 and 0.50 * 1.2 = 0.600, rounded half-up to DECIMAL(10, 2) in Python
    assertThat(Files.readAllLines(outFile))
        .containsExactly(
            "id,price,same_tags,gross,total,first",
            "1,19.99,\"[\"\"red\"\",\"\"big\"\"]\",23.99,4.0,\"{\"\"id\"\":1,\"\"tag\"\":\"\"red\"\"}\"",
            "2,,[],,0.0,\"{\"\"id\"\":2,\"\"tag\"\":null}\"",
            "3,0.50,,0.60,0.0,\"{\"\"id\"\":3,\"\"tag\"\":null}\"");
  }

  @Test
  void aBadLineFailsTheRunWithFileLineAndField() throws Exception {
    Path in = input("bad.csv", "1,a", "", "x,b", "4,d");

    int code =
        run(
            "run",
            "--input",
            in.toString(),
            "--schema",
            "id BIGINT, line STRING",
            "--python-files",
            udfs(),
            "--python",
            PYTHON,
            "--parallelism",
            "1",
            "--udf",
            "cli_udfs:upper(line) AS loud STRING",
            "--output",
            dir.resolve("o.csv").toString());

    assertThat(code).isEqualTo(Main.JOB_FAILED);
    assertThat(err.toString())
        .contains(
            "fnharness: the job failed: " + in + ":3: field 1 'id' (BIGINT): 'x' is not a BIGINT");
  }

  @Test
  void withARejectFileBadLinesAreSetAsideAndTheRunGoesOn() throws Exception {
    Path in = input("mixed.csv", "1,a", "x,b", "3,c,extra", "4,d");
    Path outFile = dir.resolve("o.csv");
    Path rejects = dir.resolve("rejects.csv");

    int code =
        run(
            "run",
            "--input",
            in.toString(),
            "--schema",
            "id BIGINT, line STRING",
            "--python-files",
            udfs(),
            "--python",
            PYTHON,
            "--parallelism",
            "1",
            "--udf",
            "cli_udfs:upper(line) AS loud STRING",
            "--output",
            outFile.toString(),
            "--reject-file",
            rejects.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(Files.readAllLines(outFile)).containsExactly("id,line,loud", "1,a,A", "4,d,D");
    assertThat(Files.readAllLines(rejects)).containsExactlyInAnyOrder("x,b", "3,c,extra");
    assertThat(err.toString())
        .contains("rejected " + in + ":2: field 1 'id' (BIGINT): 'x' is not a BIGINT")
        .contains("rejected " + in + ":3: 3 field(s), but the schema has 2 column(s): id, line")
        .contains("2 lines rejected to " + rejects);
  }

  @Test
  void inputAsOtherToolsWriteItAndTheOutputReadsBack() throws Exception {
    // Excel's byte order mark, CRLF, a quoted line break, NaN and infinity spelled by Python,
    // Spark and Java, base64 of both alphabets, more timestamp digits than TIMESTAMP(3) keeps
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    String csv =
        "id,x,f,data,note,ts\r\n"
            + "1,nan,-Infinity,AAEC,\"two\r\nlines\",2026-11-21 10:15:30.123456\r\n"
            + "2,+inf,1.5,-_8,\"a \"\"quoted\"\" word\",2026-11-21 10:15:30\r\n"
            + "3,-INF,NaN,,x,\r\n";
    Path in = dir.resolve("tools.csv");
    Files.write(in, concat(bom, csv.getBytes(StandardCharsets.UTF_8)));
    Path outFile = dir.resolve("tools-out.jsonl");

    int code =
        run(
            "run",
            "--input",
            in.toString(),
            "--schema",
            "id BIGINT, x DOUBLE, f FLOAT, data BYTES, note VARCHAR(20), ts TIMESTAMP(3)",
            "--python-files",
            udfs(),
            "--python",
            PYTHON,
            "--parallelism",
            "1",
            "--udf",
            "cli_udfs:identity(x) AS x2 DOUBLE",
            "--udf",
            "cli_udfs:identity(f) AS f2 FLOAT",
            "--udf",
            "cli_udfs:reverse_bytes(data) AS rdata BYTES",
            "--udf",
            "cli_udfs:add_micros(ts) AS later TIMESTAMP(3)",
            // reads 'note', which --keep leaves out of the output
            "--table-udf",
            "cli_udfs:words(note) AS (word STRING, length INT)",
            "--keep",
            "id",
            "--output",
            outFile.toString());

    assertThat(code).as(err.toString()).isZero();
    // JSON has no NaN or infinity: they are the strings Jackson and Spark write and read
    assertThat(Files.readAllLines(outFile))
        .containsExactly(
            "{\"id\":1,\"x2\":\"NaN\",\"f2\":\"-Infinity\",\"rdata\":\"AgEA\","
                + "\"later\":\"2026-11-21T10:15:30.123\",\"word\":\"two\",\"length\":3}",
            "{\"id\":1,\"x2\":\"NaN\",\"f2\":\"-Infinity\",\"rdata\":\"AgEA\","
                + "\"later\":\"2026-11-21T10:15:30.123\",\"word\":\"lines\",\"length\":5}",
            "{\"id\":2,\"x2\":\"Infinity\",\"f2\":1.5,\"rdata\":\"//s=\","
                + "\"later\":\"2026-11-21T10:15:30\",\"word\":\"a\",\"length\":1}",
            "{\"id\":2,\"x2\":\"Infinity\",\"f2\":1.5,\"rdata\":\"//s=\","
                + "\"later\":\"2026-11-21T10:15:30\",\"word\":\"\\\"quoted\\\"\",\"length\":8}",
            "{\"id\":2,\"x2\":\"Infinity\",\"f2\":1.5,\"rdata\":\"//s=\","
                + "\"later\":\"2026-11-21T10:15:30\",\"word\":\"word\",\"length\":4}",
            "{\"id\":3,\"x2\":\"-Infinity\",\"f2\":\"NaN\",\"rdata\":null,"
                + "\"later\":null,\"word\":\"x\",\"length\":1}");

    // the output read back as input: the same values, written out as CSV this time
    Path back = dir.resolve("back.csv");
    int again =
        run(
            "run",
            "--input",
            outFile.toString(),
            "--schema",
            "id BIGINT, x2 DOUBLE, f2 FLOAT, rdata BYTES, later TIMESTAMP(3), word STRING,"
                + " length INT",
            "--python-files",
            udfs(),
            "--python",
            PYTHON,
            "--parallelism",
            "1",
            "--udf",
            "cli_udfs:reverse_bytes(rdata) AS data BYTES",
            "--keep",
            "id,x2,f2,later",
            "--output",
            back.toString());

    assertThat(again).as(err.toString()).isZero();
    assertThat(Files.readAllLines(back))
        .containsExactly(
            "id,x2,f2,later,data",
            "1,NaN,-Infinity,2026-11-21T10:15:30.123,AAEC",
            "1,NaN,-Infinity,2026-11-21T10:15:30.123,AAEC",
            "2,Infinity,1.5,2026-11-21T10:15:30,+/8=",
            "2,Infinity,1.5,2026-11-21T10:15:30,+/8=",
            "2,Infinity,1.5,2026-11-21T10:15:30,+/8=",
            "3,-Infinity,NaN,,");
  }

  @Test
  void aFuzzedFileWithARejectFileGivesEveryGoodRowOnceAndEveryBadRecordVerbatim() throws Exception {
    InputFuzzFiles.File file = fuzzedFileWithEveryKindOfBadRecord();
    Path in = Files.write(dir.resolve("fuzz.csv"), file.bytes());
    Path outFile = dir.resolve("fuzz-out.csv");
    Path rejects = dir.resolve("fuzz-rejects.csv");

    int code =
        run(
            "run",
            "--input",
            in.toString(),
            "--schema",
            "id BIGINT, name STRING, x DOUBLE, data BYTES, tags ARRAY<STRING>",
            "--python-files",
            udfs(),
            "--python",
            PYTHON,
            "--parallelism",
            "1",
            "--udf",
            "cli_udfs:identity(name) AS same STRING",
            "--output",
            outFile.toString(),
            "--reject-file",
            rejects.toString());

    assertThat(code).as(err.toString()).isZero();
    List<Row> expectedRows = new ArrayList<>();
    List<byte[]> expectedRejects = new ArrayList<>();
    for (InputFuzzFiles.Expected e : file.expected()) {
      if (e.kind() == InputFuzzFiles.Kind.VALID) {
        expectedRows.add(Row.join(e.row(), Row.of(e.row().getField(1))));
      } else if (e.kind() == InputFuzzFiles.Kind.BAD) {
        expectedRejects.add(e.bytes());
      }
    }
    // the output (CSV, line breaks inside quotes and all) read back with the same reader
    Schema outSchema =
        SchemaParser.parse(
            "id BIGINT, name STRING, x DOUBLE, data BYTES, tags ARRAY<STRING>, same STRING");
    LineParser parser = FileFormat.CSV.parser(outSchema);
    List<Row> rows = new ArrayList<>();
    try (RecordReader reader =
        new RecordReader(FileChannel.open(outFile), parser.framing(), 64 << 20)) {
      for (RecordReader.Result r; (r = reader.next()) != null; ) {
        RecordReader.Text record = (RecordReader.Text) r;
        if (!ReadLines.skips(parser, record)) {
          rows.add(parser.parse(record.text()));
        }
      }
    }
    assertThat(expectedRows).isNotEmpty();
    assertThat(expectedRejects).hasSizeGreaterThan(1);
    assertThat(rows).containsExactlyElementsOf(expectedRows);
    byte[] rejected = Files.readAllBytes(rejects);
    int total = 0;
    for (byte[] bad : expectedRejects) {
      assertThat(indexOf(rejected, concat(bad, new byte[] {'\n'})))
          .as("rejected verbatim: %s", new String(bad, StandardCharsets.UTF_8))
          .isNotNegative();
      total += bad.length + 1;
    }
    assertThat(rejected.length).isEqualTo(total);
    InputFuzzFiles.Expected firstBad =
        file.expected().stream().filter(e -> e.kind() == InputFuzzFiles.Kind.BAD).findFirst().get();
    assertThat(err.toString())
        .contains("rejected " + in + ":" + firstBad.line() + ": ")
        .contains(expectedRejects.size() + " lines rejected to " + rejects);
  }

  /** The first seeded file with invalid UTF-8, a quote never closed and a multi-line row. */
  private static InputFuzzFiles.File fuzzedFileWithEveryKindOfBadRecord() {
    for (long seed = 1; ; seed++) {
      InputFuzzFiles.File file = InputFuzzFiles.csv(new java.util.Random(seed), false);
      List<InputFuzzFiles.Expected> expected = file.expected();
      boolean notUtf8 =
          expected.stream()
              .anyMatch(e -> e.kind() == InputFuzzFiles.Kind.BAD && !isUtf8(e.bytes()));
      boolean neverClosed =
          expected.stream()
              .anyMatch(
                  e ->
                      e.kind() == InputFuzzFiles.Kind.BAD
                          && new String(e.bytes(), StandardCharsets.UTF_8)
                              .contains("never closed"));
      boolean multiLine =
          expected.stream()
              .anyMatch(
                  e ->
                      e.kind() == InputFuzzFiles.Kind.VALID
                          && e.row().getField(1) instanceof String name
                          && name.contains("\n"));
      if (notUtf8 && neverClosed && multiLine) {
        return file;
      }
    }
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void aResultLongerThanItsDeclaredLengthFailsTheRunNamingFunctionColumnAndValue()
      throws Exception {
    Path in = input("long.csv", "1,ok", "2,toolong");

    int code =
        run(
            "run",
            "--input",
            in.toString(),
            "--schema",
            "id BIGINT, line STRING",
            "--python-files",
            udfs(),
            "--python",
            PYTHON,
            "--parallelism",
            "1",
            "--udf",
            "cli_udfs:upper(line) AS loud VARCHAR(3)",
            "--output",
            dir.resolve("o.csv").toString());

    assertThat(code).isEqualTo(Main.JOB_FAILED);
    assertThat(err.toString())
        .contains(
            "fnharness: the job failed: Python function 'cli_udfs:upper' (output column 'loud')"
                + " returned \"TOOLONG\", which the VARCHAR(3) column cannot hold: it has 7"
                + " characters, more than VARCHAR(3) holds; the row's input columns:"
                + " {\"id\":2,\"line\":\"toolong\"}");
  }

  @Test
  void aFailingUdfFailsTheRunWithItsTraceback() throws Exception {
    Path in = input("n.jsonl", "{\"x\": 1}", "{\"x\": 3}");

    int code =
        run(
            "run",
            "--input",
            in.toString(),
            "--schema",
            "x BIGINT",
            "--python-files",
            udfs(),
            "--python",
            PYTHON,
            "--parallelism",
            "1",
            "--udf",
            "cli_udfs:fail_on_3(x) AS y BIGINT",
            "--output",
            dir.resolve("o.csv").toString());

    assertThat(code).isEqualTo(Main.JOB_FAILED);
    assertThat(err.toString())
        .contains("fnharness: the job failed: ")
        .contains("cli_udfs:fail_on_3")
        .contains("ValueError: three is not allowed here");
  }

  @Test
  void aBadSpecIsAUsageErrorBeforeAnyJob() throws Exception {
    Path in = input("in.csv", "1");

    int code =
        run("run", "--input", in.toString(), "--schema", "x BIGINT", "--udf", "m:f(y) AS z BIGINT");

    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(err.toString())
        .contains(
            "fnharness: --udf \"m:f(y) AS z BIGINT\": at character 5: there is no column 'y'");
  }

  @Test
  void helpDocumentsEveryOption() {
    assertThat(run("run", "--help")).isZero();

    assertThat(out.toString())
        .contains(
            "--input",
            "--input-format",
            "--schema",
            "--udf",
            "--table-udf",
            "--keep",
            "--python-files",
            "--python",
            "--mode",
            "--parallelism",
            "--output",
            "--output-format",
            "--reject-file",
            "--max-record-size",
            "--jobmanager",
            "--conf",
            "--quiet")
        .contains("UDF specs:", "Types, in any case: TINYINT", "ARRAY<T>", "Exit codes:");
  }

  @AfterAll
  static void noWorkerOutlivesItsJob() throws Exception {
    List<String> left = List.of();
    for (int attempt = 0; attempt < 50; attempt++) {
      left =
          ProcessHandle.current()
              .descendants()
              .filter(ProcessHandle::isAlive)
              .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
              .filter(cmd -> cmd.contains("fnharness_worker"))
              .collect(Collectors.toList());
      if (left.isEmpty()) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(left).as("Python workers still running").isEmpty();
  }
}
