package dev.fnharness.cli;

import dev.fnharness.flink.PythonOptions;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.util.CloseableIterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fnharness run}: one file through Python UDFs into another, as a Flink job. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Runs Python UDFs over the rows of a CSV or JSON-lines file as a Flink job, on an embedded"
          + " MiniCluster or, with --jobmanager, on a running cluster, and writes the results to"
          + " a CSV or JSON-lines file. Progress goes to stderr.",
      ""
    },
    footer = {
      "",
      "Schema: comma-separated 'name TYPE' pairs. Types, in any case: TINYINT, SMALLINT, INT"
          + " (INTEGER), BIGINT, FLOAT, DOUBLE, DECIMAL (any scale), DECIMAL(p, s), BOOLEAN,"
          + " STRING (VARCHAR), VARCHAR(n), CHAR(n), BYTES (VARBINARY), VARBINARY(n), BINARY(n),"
          + " DATE, TIME(p), TIMESTAMP(p), TIMESTAMP_LTZ(p); nested to any depth ARRAY<T>,"
          + " MAP<K, V> (K a scalar type) and ROW<name T, ...>. UDF result types likewise."
          + " Parameters mean what they do in Flink SQL, for input and results: VARCHAR(n) and"
          + " VARBINARY(n) refuse longer values; CHAR(n) and BINARY(n) pad shorter ones (spaces,"
          + " zero bytes) and refuse longer; TIME(p), TIMESTAMP(p), TIMESTAMP_LTZ(p) keep p"
          + " digits of the second (TIME alone is TIME(0), TIMESTAMP alone TIMESTAMP(6)).",
      "",
      "UDF specs:",
      "  --udf        module:function(arg, ...) AS name TYPE",
      "  --table-udf  module:function(arg, ...) AS name TYPE",
      "  --table-udf  module:function(arg, ...) AS (name TYPE, name TYPE, ...)",
      "  An argument is an input column, a nested call module:function(...) (evaluated in the"
          + " worker, its result type is not needed), or a constant: 42, 1.5, 'text' ('' is a"
          + " quote), TRUE, FALSE, NULL.",
      "  All --udf run in one Python operator, side by side over the input columns; each"
          + " --table-udf runs after them, in order, and sees the columns before it. A table"
          + " function yields (or returns a list of) values, or tuples for several columns.",
      "",
      "Input: one record per line, UTF-8; blank lines are skipped. CSV: fields in schema"
          + " order, RFC 4180 quotes (a quoted field may hold line breaks), an empty field is"
          + " NULL and \"\" the empty string; a first line that repeats the column names is a"
          + " header. JSON lines: one object per line, keys are column names, a missing key is"
          + " NULL.",
      "Values: FLOAT and DOUBLE also nan, inf, -inf, Infinity, ... in any case; BYTES base64"
          + " (standard or URL-safe, padding optional); DATE 2026-11-21, TIME 10:15:00,"
          + " TIMESTAMP 2026-11-21 10:15:00 (or ISO), TIMESTAMP_LTZ 2026-11-21T10:15:00Z."
          + " DECIMAL(p, s) values are rounded half-up to s decimals; one that then needs more"
          + " than p digits does not fit. ARRAY, MAP and ROW values are JSON: [1, null, 3];"
          + " {\"a\": 1.5}; a ROW as {\"name\": value, ...} (a missing field is NULL) or"
          + " [value, ...]. In CSV such a field is quoted when it holds a comma or a quote:"
          + " \"[1, 2]\", \"{\"\"a\"\": 1.5}\"; in JSON lines it is a JSON array or object.",
      "A record that does not fit the schema (or is not UTF-8, or has a quote that never"
          + " closes) fails the run with file, line and field, unless --reject-file is given:"
          + " then its bytes are written there as they are in the file and the run goes on.",
      "",
      "Output: the kept input columns (--keep; all by default; every UDF may read any input"
          + " column), then the result columns. CSV with a header line, or JSON lines, written"
          + " as they are read: ARRAY, MAP and ROW values as JSON (ROWs as objects), BYTES as"
          + " base64, NaN and Infinity in JSON as strings. Row order follows the input at"
          + " parallelism 1.",
      "",
      "Exit codes: 0 done, 1 the job failed (bad line, Python error), 2 bad usage.",
      "",
      "Example:",
      "  fnharness run --input access_log.csv \\",
      "      --schema \"uuid STRING, client_ip STRING, request_time BIGINT, response_size BIGINT, uri STRING\" \\",
      "      --python-files examples/src/main/python/cdn \\",
      "      --udf \"cdn_udf:ip_to_province(client_ip) AS province STRING\" \\",
      "      --keep uuid,response_size --output provinces.csv"
    })
final class RunCommand implements Callable<Integer> {

  private static final long MAX_RECORD_BYTES = 1L << 30;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE",
      description = "The input file: .csv, or .jsonl / .ndjson / .json (JSON lines).")
  String input;

  @Option(
      names = "--input-format",
      paramLabel = "csv|jsonl",
      description = "The input format, when the file name does not tell.")
  String inputFormat;

  @Option(
      names = "--schema",
      required = true,
      paramLabel = "SPEC",
      description = "The input columns, e.g. \"ip STRING, size BIGINT\".")
  String schema;

  @Option(
      names = "--udf",
      paramLabel = "SPEC",
      description =
          "A scalar Python function, e.g. \"cdn_udf:ip_to_province(ip) AS province STRING\". Repeatable.")
  List<String> udfs = new ArrayList<>();

  @Option(
      names = "--table-udf",
      paramLabel = "SPEC",
      description =
          "A table Python function, e.g. \"words:split(line) AS (word STRING, length INT)\". Repeatable.")
  List<String> tableUdfs = new ArrayList<>();

  @Option(
      names = "--keep",
      split = ",",
      paramLabel = "COLUMN",
      description =
          "Input columns to keep in the output, in this order (default: all); the UDFs may read any input column.")
  List<String> keep;

  @Option(
      names = "--python-files",
      split = ",",
      paramLabel = "PATH",
      description =
          "Python files, directories or .zip files the UDFs import (python.files); they travel with the job. Comma-separated or repeated.")
  List<String> pythonFiles = new ArrayList<>();

  @Option(
      names = "--python",
      paramLabel = "EXECUTABLE",
      description =
          "The interpreter that runs the workers (python.executable; needs grpcio and protobuf). Default: $FNHARNESS_PYTHON, else python3.")
  String python;

  @Option(
      names = "--mode",
      paramLabel = "process|docker|external",
      description = "How workers start (python.worker.mode). Default: process.")
  String mode;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description =
          "Parallelism of parsing and the Python operators. Default: Flink's (the CPU cores on the MiniCluster).")
  Integer parallelism;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "The output file, .csv or .jsonl; '-' or none: stdout.")
  String output;

  @Option(
      names = "--output-format",
      paramLabel = "csv|jsonl",
      description = "The output format, when the file name does not tell (stdout: csv).")
  String outputFormat;

  @Option(
      names = "--reject-file",
      paramLabel = "FILE",
      description =
          "Write lines that do not fit the schema here, verbatim, instead of failing; their reasons go to stderr.")
  Path rejectFile;

  @Option(
      names = "--max-record-size",
      paramLabel = "SIZE",
      description =
          "The most bytes one input record may have, e.g. 64m or 1g (at most 1g). A longer line fails the run, with --reject-file too; a quote still open after this many bytes is reported as never closed. Default: 64m.")
  String maxRecordSize = "64m";

  @Option(
      names = "--jobmanager",
      paramLabel = "HOST:PORT",
      description =
          "Run on this cluster (its REST address) instead of an embedded MiniCluster. The input file and --python-files are shipped with the job.")
  String jobManager;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description =
          "Any Flink or fnharness setting, e.g. python.fn-execution.bundle.size=5000. Repeatable.")
  Map<String, String> conf = new java.util.LinkedHashMap<>();

  @Option(names = "--quiet", description = "No progress lines.")
  boolean quiet;

  @Option(
      names = "--verbose",
      description =
          "When the job fails: every detail of the error (the worker's command and output, paths) and the Java stack trace, not only fnharness's summary and the Python traceback.")
  boolean verbose;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Schema parsedSchema = SchemaParser.parse(schema);
    if (udfs.isEmpty() && tableUdfs.isEmpty()) {
      throw new IllegalArgumentException("give at least one --udf or --table-udf");
    }
    CliPipeline pipeline = new CliPipeline(parsedSchema, keep, udfs, tableUdfs);
    if (!Files.isRegularFile(Path.of(input))) {
      throw new IllegalArgumentException("--input '" + input + "' is not a file");
    }
    FileFormat in = FileFormat.of("--input", input, inputFormat);
    boolean toStdout = output == null || output.equals("-");
    FileFormat out =
        toStdout
            ? FileFormat.of("--output", "-", outputFormat == null ? "csv" : outputFormat)
            : FileFormat.of("--output", output, outputFormat);

    StreamExecutionEnvironment env = environment();
    InputFile inputFile = new InputFile(input, jobManager == null ? null : InputFile.CACHE_NAME);
    if (jobManager != null) {
      env.registerCachedFile(Path.of(input).toAbsolutePath().toString(), InputFile.CACHE_NAME);
    }
    RowFormatter formatter = new RowFormatter(out, pipeline.outputColumns());
    var results =
        pipeline.build(
            env,
            inputFile,
            in.parser(parsedSchema),
            rejectFile != null,
            maxRecordBytes(),
            formatter);

    PrintWriter err = spec.commandLine().getErr();
    Progress progress = new Progress(err, 2.0);
    try (ResultSink sink =
            new ResultSink(
                toStdout ? null : Path.of(output), formatter.header(), rejectFile, input, err);
        CloseableIterator<Either<Tuple3<Long, byte[], String>, String>> it =
            results.executeAndCollect("fnharness run " + Path.of(input).getFileName())) {
      while (it.hasNext()) {
        sink.accept(it.next());
        if (!quiet) {
          progress.update(sink.rows(), sink.rejected());
        }
      }
      sink.close();
      summary(sink, progress);
      return 0;
    } catch (Exception e) {
      FailureMessage.print(e, verbose, err);
      return Main.JOB_FAILED;
    }
  }

  private int maxRecordBytes() {
    long bytes;
    try {
      bytes = MemorySize.parse(maxRecordSize).getBytes();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--max-record-size '" + maxRecordSize + "' is not a size such as 64m or 1g");
    }
    if (bytes < 1 || bytes > MAX_RECORD_BYTES) {
      throw new IllegalArgumentException(
          "--max-record-size '" + maxRecordSize + "' must be between 1 byte and 1g");
    }
    return (int) bytes;
  }

  private StreamExecutionEnvironment environment() throws URISyntaxException {
    Configuration config = new Configuration();
    // a bad line or a failing UDF fails again on restart: report it at once
    config.setString("restart-strategy.type", "none");
    config.set(PythonOptions.PYTHON_EXECUTABLE, python != null ? python : defaultPython());
    if (!pythonFiles.isEmpty()) {
      List<String> absolute =
          pythonFiles.stream().map(f -> Path.of(f).toAbsolutePath().toString()).toList();
      config.set(PythonOptions.PYTHON_FILES, String.join(",", absolute));
    }
    if (mode != null) {
      config.set(PythonOptions.WORKER_MODE, mode);
    }
    conf.forEach(config::setString);
    StreamExecutionEnvironment env;
    if (jobManager == null) {
      env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    } else {
      HostAndPort address = HostAndPort.parse(jobManager);
      env =
          StreamExecutionEnvironment.createRemoteEnvironment(
              address.host(), address.port(), config, JobJar.location());
    }
    if (parallelism != null) {
      env.setParallelism(parallelism);
    }
    return env;
  }

  private static String defaultPython() {
    String fromEnvironment = System.getenv("FNHARNESS_PYTHON");
    return fromEnvironment == null || fromEnvironment.isBlank() ? "python3" : fromEnvironment;
  }

  private void summary(ResultSink sink, Progress progress) {
    if (quiet) {
      return;
    }
    spec.commandLine()
        .getErr()
        .printf(
            Locale.ROOT,
            "fnharness: %,d rows %s to %s%s%n",
            sink.rows(),
            progress.summary(sink.rows()),
            output == null || output.equals("-") ? "stdout" : output,
            sink.rejected() == 0
                ? ""
                : String.format(
                    Locale.ROOT, "; %,d lines rejected to %s", sink.rejected(), rejectFile));
  }

  /** {@code --jobmanager host:port}. */
  record HostAndPort(String host, int port) {
    static HostAndPort parse(String text) {
      int colon = text.lastIndexOf(':');
      try {
        if (colon > 0) {
          return new HostAndPort(
              text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          "--jobmanager '"
              + text
              + "' must be HOST:PORT, the cluster's REST address, e.g. localhost:8081");
    }
  }
}
