package dev.fnharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
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
