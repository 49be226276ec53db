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
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;

/**
 * End-to-end rows/s through the Python scalar operator with one real worker, beside the bare
 * Python ceiling for the same functions. Arguments: rows, the directory of bench_udfs.py, python.
 *
 * <p>Everything runs chained in one task (a generator source that makes each input {@code Row},
 * the Python operator, a sink that is also the clock), so the job uses one core for Java and one
 * for the worker. The clock runs from the first result to the last, leaving worker start-up out.
 * The "Java pipeline alone" line runs the same source and sink with a Java map in place of the
 * Python operator: the ceiling this harness itself leaves.
 */
public final class ThroughputRunner {

  // Set by the sink inside the MiniCluster, which runs in this JVM.
  static volatile long firstResultNanos;
  static volatile long lastResultNanos;
  static volatile CpuClocks cpuAtFirstResult;
  static volatile CpuClocks cpuAtLastResult;
  static final AtomicLong RESULTS = new AtomicLong();

  /** One job's figures: rows/s, and CPU ns per row of the task thread, the JVM, the worker. */
  record Measurement(double rowsPerSecond, CpuClocks cpuPerRow) {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
    Path pythonDir = Path.of(args.length > 1 ? args[1] : "benchmarks/src/main/python").toAbsolutePath();
    String python = args.length > 2 ? args[2] : "python3";
    int bundleSize = Integer.getInteger("bundle.size", 100_000);
    int batchSize = Integer.getInteger("batch.size", 10_000);
    // The first run of a case also pays for compiling its code; the ceiling is a best of three.
    int repeats = Integer.getInteger("repeats", 2);

    Map<String, Double> ceiling = PythonCeiling.measure(python, pythonDir, Math.min(rows, 2_000_000));
    Map<String, Measurement> endToEnd = new LinkedHashMap<>();
    if (Boolean.getBoolean("object.reuse")) {
      System.out.println("object reuse enabled");
    }
    Measurement alone =
        best("java_alone", repeats, () -> run(rows, python, pythonDir, bundleSize, batchSize, Types.LONG, Row::of, null));
    System.out.printf(
        "Java pipeline alone (no Python operator): %.0f rows/s, task thread %d ns/row%n",
        alone.rowsPerSecond(), alone.cpuPerRow().threadNanos());
    endToEnd.put(
        "bigint_add_one",
        best(
            "bigint_add_one",
            repeats,
            () -> run(rows, python, pythonDir, bundleSize, batchSize, Types.LONG, Row::of, "bench_udfs:add_one")));
    endToEnd.put(
        "string_upper",
        best(
            "string_upper",
            repeats,
            () ->
                run(
                    rows,
                    python,
                    pythonDir,
                    bundleSize,
                    batchSize,
                    Types.STRING,
                    x -> Row.of(SampleStrings.get(x)),
                    "bench_udfs:upper")));

    System.out.printf(
        "%nrows=%d bundle.size=%d batch.size=%d python=%s%n", rows, bundleSize, batchSize, python);
    System.out.printf(
        "%-16s %14s %18s %18s %10s   %s%n",
        "case", "end-to-end", "python map()", "python for-loop", "e2e/map",
        "CPU ns/row: task thread, JVM, worker");
    report("bigint_add_one", endToEnd, ceiling);
    report("string_upper", endToEnd, ceiling);
  }

  private static void report(String name, Map<String, Measurement> endToEnd, Map<String, Double> ceiling) {
    Measurement e2e = endToEnd.get(name);
    double map = ceiling.get(name + "_map");
    double loop = ceiling.get(name + "_loop");
    CpuClocks cpu = e2e.cpuPerRow();
    System.out.printf(
        "%-16s %11.0f/s %15.0f/s %15.0f/s %9.0f%%   %d %d %d%n",
        name, e2e.rowsPerSecond(), map, loop, 100 * e2e.rowsPerSecond() / map,
        cpu.threadNanos(), cpu.jvmNanos(), cpu.workerNanos());
  }

  interface RowMaker extends GeneratorFunction<Long, Row> {}

  interface Job {
    Measurement run() throws Exception;
  }

  /** Runs the job {@code repeats} times, printing each; the fastest run. */
  private static Measurement best(String name, int repeats, Job job) throws Exception {
    Measurement best = null;
    for (int i = 1; i <= repeats; i++) {
      Measurement m = job.run();
      CpuClocks cpu = m.cpuPerRow();
      System.out.printf(
          "run %d of %s: %.0f rows/s, CPU ns/row: task thread %d, JVM %d, worker %d%n",
          i, name, m.rowsPerSecond(), cpu.threadNanos(), cpu.jvmNanos(), cpu.workerNanos());
      if (best == null || m.rowsPerSecond() > best.rowsPerSecond()) {
        best = m;
      }
    }
    return best;
  }

  private static Measurement run(
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
        env.fromSource(
            new DataGeneratorSource<>(rowMaker, rows, Types.ROW_NAMED(new String[] {"v"}, type)),
            WatermarkStrategy.noWatermarks(),
            "rows");
    DataStream<Row> results =
        function == null
            ? input.map(row -> Row.of(row.getField(0), row.getField(0))).returns(Types.ROW_NAMED(new String[] {"v", "r"}, type, type))
            : PythonFunctions.scalar(
                input, PythonScalarFunction.of(function).args("v").returns(type).as("r"));
    results.sinkTo(new ClockSink(rows));

    RESULTS.set(0);
    env.execute("throughput " + function);
    if (RESULTS.get() != rows) {
      throw new IllegalStateException("expected " + rows + " results, got " + RESULTS.get());
    }
    double seconds = (lastResultNanos - firstResultNanos) / 1e9;
    return new Measurement(
        (rows - 1) / seconds, cpuAtLastResult.perRow(cpuAtFirstResult, rows - 1));
  }

  /**
   * Discards the results and notes when the first and the last pass, with the CPU time spent so
   * far. It reads the clocks twice per run, not per row, so that it costs the pipeline as little
   * as a discarding sink.
   */
  static final class ClockSink implements Sink<Row> {
    private final long expected;

    ClockSink(long expected) {
      this.expected = expected;
    }

    @Override
    public SinkWriter<Row> createWriter(WriterInitContext context) {
      return new SinkWriter<>() {
        private long count;

        @Override
        public void write(Row row, Context context) {
          if (count == 0) {
            firstResultNanos = System.nanoTime();
            cpuAtFirstResult = CpuClocks.now();
          }
          if (++count == expected) {
            lastResultNanos = System.nanoTime();
            cpuAtLastResult = CpuClocks.now();
          }
        }

        @Override
        public void flush(boolean endOfInput) {
          RESULTS.set(count);
        }

        @Override
        public void close() {
          RESULTS.set(count);
        }
      };
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
