package dev.fnharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code fnharness run} prints when a job fails for a reason a user can cause: fnharness's
 * one-line summary first, naming what to fix, then the Python traceback if Python raised; no Java
 * stack frames unless {@code --verbose}.
 */
class FailureOutputITCase {

  private static final String PYTHON = System.getProperty("fnharness.test.python", "python3");

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void anInterpreterWithoutGrpcGetsTheInstallCommandInOneLine() throws Exception {
    // -S: no site-packages, so neither grpc nor protobuf can be imported
    Path python = script("python-without-grpc", "exec " + PYTHON + " -S \"$@\"");

    int code = run("cli_udfs:identity(x) AS y BIGINT", "--python", python.toString());

    assertThat(code).isEqualTo(Main.JOB_FAILED);
    assertThat(firstLine())
        .startsWith("fnharness: the job failed: Python worker '")
        .contains("exited during start-up with exit code 2")
        .contains("cannot import grpc")
        .contains("Fix: ")
        .contains(" -m pip install \"grpcio>=1.51\" \"protobuf>=4.21\"")
        .contains("--python");
    assertShortWithoutJavaFrames(3);
  }

  @Test
  void aMissingInterpreterIsNamed() throws Exception {
    int code = run("cli_udfs:identity(x) AS y BIGINT", "--python", "/nonexistent/python3");

    assertThat(code).isEqualTo(Main.JOB_FAILED);
    assertThat(firstLine())
        .contains("could not be launched")
        .contains("/nonexistent/python3")
        .contains("Fix: set python.executable");
    assertShortWithoutJavaFrames(3);
  }

  @Test
  void aMisspelledFunctionNamesItselfAndTheClosestMatchInOneLine() throws Exception {
    int code = run("cli_udfs:identiti(x) AS y BIGINT");

    assertThat(code).isEqualTo(Main.JOB_FAILED);
    assertThat(firstLine())
        .startsWith("fnharness: the job failed: Cannot load Python function 'cli_udfs:identiti'")
        .contains("did you mean 'identity'?");
    assertShortWithoutJavaFrames(1);
  }

  @Test
  void aRaisingFunctionGivesTheRowAndTheExceptionFirstAndTheTracebackAfter() throws Exception {
    int code = run("cli_udfs:fail_on_3(x) AS y BIGINT");

    assertThat(code).isEqualTo(Main.JOB_FAILED);
    assertThat(firstLine())
        .startsWith("fnharness: the job failed: Python function 'cli_udfs:fail_on_3' failed on ")
        .endsWith("ValueError: three is not allowed here");
    assertThat(err.toString())
        .contains("Traceback (most recent call last):")
        .contains("raise ValueError(\"three is not allowed here\")");
    assertShortWithoutJavaFrames(12);
  }

  @Test
  void aResultOfTheWrongTypeNamesColumnValueAndType() throws Exception {
    int code = run("cli_udfs:identity(s) AS y BIGINT");

    assertThat(code).isEqualTo(Main.JOB_FAILED);
    assertThat(firstLine())
        .startsWith("fnharness: the job failed: Python function 'cli_udfs:identity'")
        .contains("(output column 'y') returned 'one'")
        .contains("BIGINT cannot hold a value of type str");
    assertShortWithoutJavaFrames(3);
  }

  @Test
  void aWorkerThatDiesNamesTheFunctionAndTheExit() throws Exception {
    int code = run("cli_udfs:exit_now(x) AS y BIGINT");

    assertThat(code).isEqualTo(Main.JOB_FAILED);
    assertThat(firstLine())
        .startsWith("fnharness: the job failed: Python function 'cli_udfs:exit_now' failed: ")
        .contains("exit code 3");
    assertShortWithoutJavaFrames(3);
  }

  private int run(String udf, String... more) throws Exception {
    Path in = Files.write(dir.resolve("in.csv"), List.of("x,s", "1,one", "3,three"));
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--input",
                in.toString(),
                "--schema",
                "x BIGINT, s STRING",
                "--python-files",
                udfs(),
                "--parallelism",
                "1",
                "--quiet",
                "--udf",
                udf,
                "--output",
                dir.resolve("out.csv").toString()));
    if (!List.of(more).contains("--python")) {
      args.addAll(List.of("--python", PYTHON));
    }
    args.addAll(List.of(more));
    return Main.execute(
        new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
  }

  private String firstLine() {
    return err.toString().lines().findFirst().orElse("");
  }

  /** At most {@code lines} lines of ours, then the hint; not one Java stack frame. */
  private void assertShortWithoutJavaFrames(int lines) {
    List<String> printed = err.toString().lines().toList();
    assertThat(printed).as(err.toString()).noneMatch(line -> line.startsWith("\tat "));
    assertThat(printed).as(err.toString()).noneMatch(line -> line.startsWith("Caused by: "));
    assertThat(printed).as(err.toString()).hasSizeLessThanOrEqualTo(lines + 1);
    assertThat(printed.get(printed.size() - 1)).isEqualTo(FailureMessage.VERBOSE_HINT);
  }

  private Path script(String name, String body) throws Exception {
    Path script = dir.resolve(name);
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private static String udfs() throws URISyntaxException {
    return Path.of(FailureOutputITCase.class.getResource("/udfs/cli_udfs.py").toURI()).toString();
  }
}
