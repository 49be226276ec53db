package dev.fnharness.benchmarks;

import dev.fnharness.flink.PythonFunctions;
import dev.fnharness.flink.PythonOptions;
import dev.fnharness.flink.PythonScalarFunction;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;

/**
 * End-to-end rows/s through the Python scalar operator with one real worker, beside the bare Python
 * ceiling for the same functions. Arguments: rows, the directory of bench_udfs.py, python.
 *
 * <p>Everything runs chained in one task (a source that makes each input {@code Row} and emits them
 * in runs, {@link RowRunSource}; the Python operator; a sink that is also the clock), so the job
 * uses one core for Java and one for the worker. Object reuse is on, as in a job tuned for speed
 * ({@code -Dobject.reuse=false} turns it off). The clock runs from the first result to the last,
 * leaving worker start-up out. The "Java pipeline alone" line runs the same source and sink with a
 * Java map in place of the Python operator: the ceiling this harness itself leaves.
 *
 * <p>Each case is reported over the whole run and "warm", over the results after the first three
 * quarters ({@code -Dwarmup.share}), when the JIT compilers have mostly finished (they compile
 * per-message gRPC code late: it runs 10,000 times less often than per-row code); beside each the
 * CPU per row of the JVM's threads by kind. Each case runs in {@code -Dforks} JVMs of its own, one
 * after the other ({@link CaseFork}), {@code -Drepeats} times in each; the fastest warm run is
 * reported beside the best of three of the bare-Python ceiling, which is measured once, and every
 * JVM's warm figures are listed.
 */
public final class ThroughputRunner {

  // Set by the sink inside the MiniCluster, which runs in this JVM.
  static volatile Mark atFirstResult;
  static volatile Mark atWarmedUp;
  static volatile Mark atLastResult;
  static final AtomicLong RESULTS = new AtomicLong();
  private static final boolean OBJECT_REUSE =
      Boolean.parseBoolean(System.getProperty("object.reuse", "true"));

  /** The clocks when a given result passed the sink. */
  record Mark(long nanos, CpuClocks cpu, JvmThreadTimes threads) {
    static Mark now() {
      return new Mark(System.nanoTime(), CpuClocks.now(), JvmThreadTimes.now());
    }

    Measurement since(Mark start, long rows) {
      return new Measurement(
          rows / ((nanos - start.nanos) / 1e9),
          cpu.perRow(start.cpu, rows),
          threads.perRow(start.threads, rows));
    }
  }

  /**
   * Rows/s, and CPU ns per row of the task thread, the JVM and the worker, and of the JVM's threads
   * by kind.
   */
  record Measurement(
      double rowsPerSecond, CpuClocks cpuPerRow, Map<String, Long> jvmThreadsPerRow) {}

  /** A job's figures over the whole run and over its part after the warm-up. */
  record Run(Measurement whole, Measurement warm) {}

  /** Set in the JVM forked for one case: its name, and the bare-Python ceiling it is held to. */
  private static final String FORKED_CASE = "throughput.forked.case";

  private static final String FORKED_CEILING = "throughput.forked.ceiling";

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 120_000_000L;
    Path pythonDir =
        Path.of(args.length > 1 ? args[1] : "benchmarks/src/main/python").toAbsolutePath();
    String python = args.length > 2 ? args[2] : "python3";
    int bundleSize = Integer.getInteger("bundle.size", 100_000);
    int batchSize = Integer.getInteger("batch.size", 10_000);
    int bundlesInFlight = Integer.getInteger("bundles.in.flight", 2);
    // The first run of a case also pays for compiling its code; the ceiling is a best of three.
    int repeats = Integer.getInteger("repeats", 1);
    // Each JVM compiles the pipeline its own way: the same case runs 20-30% apart between JVMs.
    int forks = Integer.getInteger("forks", 3);
    // The "warm" figures leave out the results before this share of the rows: the JIT compilers
    // are busiest then, and on two cores they take their CPU from the pipeline.
    double warmUpShare = Double.parseDouble(System.getProperty("warmup.share", "0.75"));
    long warmUpRows = Math.max(1, (long) (rows * warmUpShare));

    Job.Settings settings =
        new Job.Settings(
            rows, warmUpRows, python, pythonDir, bundleSize, batchSize, bundlesInFlight);
    Map<String, Job> cases = new LinkedHashMap<>();
    cases.put("java_alone", () -> run(settings, Types.LONG, Row::of, null));
    cases.put("bigint_add_one", () -> run(settings, Types.LONG, Row::of, "bench_udfs:add_one"));
    cases.put(
        "string_upper",
        () -> run(settings, Types.STRING, x -> Row.of(SampleStrings.get(x)), "bench_udfs:upper"));
    // -Dcases=bigint_add_one,... runs only those.
    List<String> chosen =
        List.of(System.getProperty("cases", String.join(",", cases.keySet())).split(","));

    String forkedCase = System.getProperty(FORKED_CASE);
    if (forkedCase != null) {
      Run run = best(forkedCase, repeats, cases.get(forkedCase));
      String ceiling = System.getProperty(FORKED_CEILING);
      Double map = ceiling == null ? null : Double.valueOf(ceiling);
      report(forkedCase, "whole", run.whole(), map);
      report(forkedCase, "warm", run.warm(), map);
      return;
    }

    Map<String, Double> ceiling =
        PythonCeiling.measure(python, pythonDir, Math.min(rows, 2_000_000));
    List<String> reports = new ArrayList<>();
    List<String> warmRuns = new ArrayList<>();
    for (String name : cases.keySet()) {
      if (chosen.contains(name)) {
        List<List<String>> runs = new ArrayList<>();
        for (int fork = 1; fork <= forks; fork++) {
          runs.add(CaseFork.run(name, ceiling.get(name + "_map"), args));
        }
        runs.sort(Comparator.comparingDouble(CaseFork::warmRowsPerSecond).reversed());
        reports.addAll(runs.get(0));
        for (List<String> run : runs) {
          warmRuns.add(run.get(1));
        }
      }
    }

    System.out.printf(
        "%nrows=%d (warm: after the first %d) bundle.size=%d batch.size=%d bundles.in.flight=%d"
            + " object.reuse=%b python=%s, %d JVM(s) per case, %d run(s) each%n",
        rows,
        warmUpRows,
        bundleSize,
        batchSize,
        settings.bundlesInFlight(),
        OBJECT_REUSE,
        python,
        forks,
        repeats);
    System.out.printf(
        "python map(): bigint_add_one %.0f/s, string_upper %.0f/s; for-loop: %.0f/s, %.0f/s%n",
        ceiling.get("bigint_add_one_map"),
        ceiling.get("string_upper_map"),
        ceiling.get("bigint_add_one_loop"),
        ceiling.get("string_upper_loop"));
    System.out.printf(
        "%-16s %-5s %14s %8s   %s%n",
        "case",
        "part",
        "rows/s",
        "e2e/map",
        "CPU ns/row: task thread, JVM, worker | JVM threads: "
            + String.join(", ", JvmThreadTimes.GROUPS));
    reports.forEach(System.out::println);
    System.out.println("every JVM's warm figures, fastest first:");
    warmRuns.forEach(System.out::println);
  }

  /**
   * Runs one case in a JVM of its own, as JMH forks: the JIT then compiles each case's code paths
   * (the source's emit loop, the chained outputs) for that case alone, not for a mix of the cases
   * run before it, which made the same case 30% slower or faster from run to run.
   */
  static final class CaseFork {
    static List<String> run(String name, Double ceiling, String[] args)
        throws IOException, InterruptedException {
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
      command.add("-D" + FORKED_CASE + "=" + name);
      if (ceiling != null) {
        command.add("-D" + FORKED_CEILING + "=" + ceiling);
      }
      command.addAll(
          List.of("-cp", System.getProperty("java.class.path"), ThroughputRunner.class.getName()));
      command.addAll(List.of(args));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      List<String> reports = new ArrayList<>();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          System.out.println(line);
          if (line.startsWith(name + " ")) {
            reports.add(line);
          }
        }
      }
      if (process.waitFor() != 0 || reports.size() != 2) {
        throw new IllegalStateException(
            "the JVM running " + name + " failed, see its output above");
      }
      return reports;
    }

    /** The warm rows/s of a JVM's two report lines (whole, warm). */
    static double warmRowsPerSecond(List<String> reports) {
      String rowsPerSecond = reports.get(1).trim().split("\\s+")[2];
      return Double.parseDouble(rowsPerSecond.substring(0, rowsPerSecond.length() - 2));
    }
  }

  private static void report(String name, String part, Measurement m, Double map) {
    CpuClocks cpu = m.cpuPerRow();
    System.out.printf(
        "%-16s %-5s %12.0f/s %8s   %d %d %d | %s%n",
        name,
        part,
        m.rowsPerSecond(),
        map == null ? "" : String.format("%.0f%%", 100 * m.rowsPerSecond() / map),
        cpu.threadNanos(),
        cpu.jvmNanos(),
        cpu.workerNanos(),
        m.jvmThreadsPerRow().values());
  }

  interface Job {
    Run run() throws Exception;

    record Settings(
        long rows,
        long warmUpRows,
        String python,
        Path pythonDir,
        int bundleSize,
        int batchSize,
        int bundlesInFlight) {}
  }

  /** Runs the job {@code repeats} times, printing each; the run fastest when warm. */
  private static Run best(String name, int repeats, Job job) throws Exception {
    Run best = null;
    for (int i = 1; i <= repeats; i++) {
      Run run = job.run();
      CpuClocks cpu = run.whole().cpuPerRow();
      System.out.printf(
          "run %d of %s: %.0f rows/s (warm %.0f), CPU ns/row: task thread %d, JVM %d, worker %d%n",
          i,
          name,
          run.whole().rowsPerSecond(),
          run.warm().rowsPerSecond(),
          cpu.threadNanos(),
          cpu.jvmNanos(),
          cpu.workerNanos());
      if (best == null || run.warm().rowsPerSecond() > best.warm().rowsPerSecond()) {
        best = run;
      }
    }
    return best;
  }

  private static Run run(
      Job.Settings settings,
      TypeInformation<?> type,
      RowRunSource.RowMaker rowMaker,
      String function)
      throws Exception {
    Configuration config = new Configuration();
    config.set(PythonOptions.PYTHON_EXECUTABLE, settings.python());
    config.set(
        PythonOptions.PYTHON_FILES, settings.pythonDir().resolve("bench_udfs.py").toString());
    config.set(PythonOptions.BUNDLE_SIZE, settings.bundleSize());
    config.set(PythonOptions.BATCH_SIZE, settings.batchSize());
    config.set(PythonOptions.BUNDLES_IN_FLIGHT, settings.bundlesInFlight());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(1);
    if (OBJECT_REUSE) {
      env.getConfig().enableObjectReuse();
    }

    long rows = settings.rows();
    DataStream<Row> input =
        env.fromSource(
            new RowRunSource(rows, rowMaker),
            WatermarkStrategy.noWatermarks(),
            "rows",
            Types.ROW_NAMED(new String[] {"v"}, type));
    DataStream<Row> results =
        function == null
            ? input
                .map(row -> Row.of(row.getField(0), row.getField(0)))
                .returns(Types.ROW_NAMED(new String[] {"v", "r"}, type, type))
            : PythonFunctions.scalar(
                input, PythonScalarFunction.of(function).args("v").returns(type).as("r"));
    results.sinkTo(new ClockSink(rows, settings.warmUpRows()));

    RESULTS.set(0);
    env.execute("throughput " + function);
    if (RESULTS.get() != rows) {
      throw new IllegalStateException("expected " + rows + " results, got " + RESULTS.get());
    }
    return new Run(
        atLastResult.since(atFirstResult, rows - 1),
        atLastResult.since(atWarmedUp, rows - settings.warmUpRows()));
  }

  /**
   * Discards the results and notes when the first result, the first one after the warm-up and the
   * last pass, with the CPU time spent so far. It reads the clocks three times per run, not per
   * row, so that it costs the pipeline as little as a discarding sink.
   */
  static final class ClockSink implements Sink<Row> {
    private final long expected;
    private final long warmUpRows;

    ClockSink(long expected, long warmUpRows) {
      this.expected = expected;
      this.warmUpRows = warmUpRows;
    }

    @Override
    public SinkWriter<Row> createWriter(WriterInitContext context) {
      return new SinkWriter<>() {
        private long count;

        @Override
        public void write(Row row, Context context) {
          if (count == 0) {
            atFirstResult = Mark.now();
          }
          ++count;
          if (count == warmUpRows) {
            atWarmedUp = Mark.now();
          }
          if (count == expected) {
            atLastResult = Mark.now();
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
          new ProcessBuilder(
                  python, dir.resolve("python_ceiling.py").toString(), Long.toString(rows))
              .directory(dir.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
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
