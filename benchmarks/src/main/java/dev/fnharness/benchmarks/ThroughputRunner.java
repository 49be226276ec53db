package dev.fnharness.benchmarks;

import dev.fnharness.flink.PythonFunctions;
import dev.fnharness.flink.PythonOptions;
import dev.fnharness.flink.PythonScalarFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.types.Row;

/**
 * End-to-end rows/s through the Python scalar operator with one real worker, beside the bare
 * Python ceiling for the same functions. Arguments: rows, the directory of bench_udfs.py, python.
 *
 * <p>Everything runs chained in one task (source, map, Python operator, sink), so the job uses
 * one core for Java and one for the worker. The clock runs from the first result to the last,
 * leaving worker start-up out.
 */
public final class ThroughputRunner {

  static final AtomicLong FIRST_RESULT_NANOS = new AtomicLong();
  static final AtomicLong LAST_RESULT_NANOS = new AtomicLong();
  static final AtomicLong RESULTS = new AtomicLong();

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
    Path pythonDir = Path.of(args.length > 1 ? args[1] : "benchmarks/src/main/python").toAbsolutePath();
    String python = args.length > 2 ? args[2] : "python3";
    int bundleSize = Integer.getInteger("bundle.size", 100_000);
    int batchSize = Integer.getInteger("batch.size", 10_000);

    Map<String, Double> ceiling = PythonCeiling.measure(python, pythonDir, Math.min(rows, 2_000_000));
    Map<String, Double> endToEnd = new LinkedHashMap<>();
    if (Boolean.getBoolean("object.reuse")) {
      System.out.println("object reuse enabled");
    }
    System.out.printf(
        "Java pipeline alone (no Python operator): %.0f rows/s%n",
        run(rows, python, pythonDir, bundleSize, batchSize, Types.LONG, x -> Row.of(x), null));
    endToEnd.put(
        "bigint_add_one",
        run(rows, python, pythonDir, bundleSize, batchSize, Types.LONG, x -> Row.of(x), "bench_udfs:add_one"));
    endToEnd.put(
        "string_upper",
        run(
            rows,
            python,
            pythonDir,
            bundleSize,
            batchSize,
            Types.STRING,
            x -> Row.of(SampleStrings.get(x)),
            "bench_udfs:upper"));

    System.out.printf(
        "%nrows=%d bundle.size=%d batch.size=%d python=%s%n", rows, bundleSize, batchSize, python);
    System.out.printf("%-16s %14s %18s %18s %10s%n", "case", "end-to-end", "python map()", "python for-loop", "e2e/map");
    report("bigint_add_one", endToEnd, ceiling);
    report("string_upper", endToEnd, ceiling);
  }

  private static void report(String name, Map<String, Double> endToEnd, Map<String, Double> ceiling) {
    double e2e = endToEnd.get(name);
    double map = ceiling.get(name + "_map");
    double loop = ceiling.get(name + "_loop");
    System.out.printf(
        "%-16s %11.0f/s %15.0f/s %15.0f/s %9.0f%%%n", name, e2e, map, loop, 100 * e2e / map);
  }

  interface RowMaker extends MapFunction<Long, Row> {}

  private static double run(
      long rows,
      String python,
      Path pythonDir,
      int bundleSize,
      int batchSize,
      TypeInformation<?> type,
      RowMaker rowMaker,
      String function)
      throws Exception {
    Configuration config = new Configuration();
    config.set(PythonOptions.PYTHON_EXECUTABLE, python);
    config.set(PythonOptions.PYTHON_FILES, pythonDir.resolve("bench_udfs.py").toString());
    config.set(PythonOptions.BUNDLE_SIZE, bundleSize);
    config.set(PythonOptions.BATCH_SIZE, batchSize);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(1);
    if (Boolean.getBoolean("object.reuse")) {
      env.getConfig().enableObjectReuse();
    }

    DataStream<Row> input =
        env.fromSequence(0, rows - 1)
            .map(rowMaker)
            .returns(Types.ROW_NAMED(new String[] {"v"}, type));
    DataStream<Row> results =
        function == null
            ? input.map(row -> Row.of(row.getField(0), row.getField(0))).returns(Types.ROW_NAMED(new String[] {"v", "r"}, type, type))
            : PythonFunctions.scalar(
                input, PythonScalarFunction.of(function).args("v").returns(type).as("r"));
    results
        .map(new ResultClock())
        .returns(Types.ROW_NAMED(new String[] {"v", "r"}, type, type))
        .sinkTo(new DiscardingSink<>());

    RESULTS.set(0);
    env.execute("throughput " + function);
    if (RESULTS.get() != rows) {
      throw new IllegalStateException("expected " + rows + " results, got " + RESULTS.get());
    }
    double seconds = (LAST_RESULT_NANOS.get() - FIRST_RESULT_NANOS.get()) / 1e9;
    return (rows - 1) / seconds;
  }

  /** Notes when the first and the last result pass; runs in the MiniCluster inside this JVM. */
  static final class ResultClock implements MapFunction<Row, Row> {
    @Override
    public Row map(Row row) {
      long now = System.nanoTime();
      if (RESULTS.getAndIncrement() == 0) {
        FIRST_RESULT_NANOS.set(now);
      }
      LAST_RESULT_NANOS.set(now);
      return row;
    }
  }

  /** The same strings as bench_udfs.sample_string. */
  static final class SampleStrings {
    private static final String[] STRINGS = new String[1024];

    static {
      for (int i = 0; i < STRINGS.length; i++) {
        STRINGS[i] = String.format("fnharness-%04d-abcdefghij", i);
      }
    }

    static String get(long i) {
      return STRINGS[(int) (i % STRINGS.length)];
    }
  }

  /** Runs python_ceiling.py and reads its JSON line. */
  static final class PythonCeiling {
    static Map<String, Double> measure(String python, Path dir, long rows)
        throws IOException, InterruptedException {
      Process process =
          new ProcessBuilder(python, dir.resolve("python_ceiling.py").toString(), Long.toString(rows))
              .directory(dir.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (process.waitFor() != 0) {
        throw new IllegalStateException("python_ceiling.py failed: " + out);
      }
      Map<String, Double> result = new LinkedHashMap<>();
      // A flat JSON object of numbers (and one string); no JSON library needed for that.
      for (String pair : out.replaceAll("[{}\"]", "").split(",")) {
        String[] kv = pair.split(":");
        try {
          result.put(kv[0].trim(), Double.parseDouble(kv[1].trim()));
        } catch (NumberFormatException notANumber) {
          // the python version
        }
      }
      return result;
    }
  }

  private ThroughputRunner() {}
}
