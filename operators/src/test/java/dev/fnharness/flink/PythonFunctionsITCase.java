package dev.fnharness.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Whole jobs on a MiniCluster with real Python workers. */
class PythonFunctionsITCase {

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void everyRowOfAHundredThousandArrivesOnceWithItsResult() throws Exception {
    ScalarJobs.everyRowArrivesOnceWithItsResults(ScalarJobs.environment(2), 100_000);
  }

  @Test
  void anExceptionInTheFunctionFailsTheJobWithTheTraceback() {
    StreamExecutionEnvironment env = ScalarJobs.environment(1);
    PythonFunctions.scalar(
            ScalarJobs.numbers(env, 100),
            PythonScalarFunction.of("test_udfs:fail_on_13").args("x").returns(Types.LONG))
        .sinkTo(new DiscardingSink<>());

    assertThatThrownBy(() -> env.execute("failing-udf"))
        .satisfies(
            e -> {
              String all = ExceptionUtils.stringifyException(e);
              assertThat(all)
                  .contains("test_udfs:fail_on_13")
                  .contains("Traceback (most recent call last)")
                  .contains("ValueError: thirteen is unlucky (x=13)")
                  .contains("test_udfs.py");
            });
  }

  @Test
  void aMissingModuleNamesItAndPythonFiles() {
    StreamExecutionEnvironment env = ScalarJobs.environment(1);
    PythonFunctions.scalar(
            ScalarJobs.numbers(env, 10),
            PythonScalarFunction.of("no_such_module:f").args("x").returns(Types.LONG))
        .sinkTo(new DiscardingSink<>());

    assertThatThrownBy(() -> env.execute("missing-module"))
        .satisfies(
            e -> {
              String all = ExceptionUtils.stringifyException(e);
              assertThat(all)
                  .contains("Cannot load Python function 'no_such_module:f'")
                  .contains("No module named 'no_such_module'")
                  .contains("python.files")
                  .contains(TestPython.udfFile().toString());
            });
  }

  @Test
  void aMissingFunctionNamesIt() {
    StreamExecutionEnvironment env = ScalarJobs.environment(1);
    PythonFunctions.scalar(
            ScalarJobs.numbers(env, 10),
            PythonScalarFunction.of("test_udfs:no_such_function").args("x").returns(Types.LONG))
        .sinkTo(new DiscardingSink<>());

    assertThatThrownBy(() -> env.execute("missing-function"))
        .satisfies(
            e ->
                assertThat(ExceptionUtils.stringifyException(e))
                    .contains("Cannot load Python function 'test_udfs:no_such_function'")
                    .contains("no_such_function"));
  }

  @Test
  void aWorkerKilledMidBundleFailsTheJobWithinSeconds() throws Exception {
    Path pidFile = stalledWorkerPidFile();
    Files.deleteIfExists(pidFile);
    StreamExecutionEnvironment env =
        ScalarJobs.environment(
            1, "python.fn-execution.bundle.size", "1000", "python.fn-execution.batch.size", "100");
    PythonFunctions.scalar(
            ScalarJobs.numbers(env, 2000),
            PythonScalarFunction.of("test_udfs:stall_at_500").args("x").returns(Types.LONG))
        .sinkTo(new DiscardingSink<>());
    JobClient job = env.executeAsync("killed-worker");

    long pid = waitForPid(pidFile, Duration.ofSeconds(60));
    ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
    worker.destroyForcibly(); // SIGKILL
    long killedAt = System.nanoTime();

    assertThatThrownBy(() -> job.getJobExecutionResult().get(30, TimeUnit.SECONDS))
        .satisfies(
            e -> {
              String all = ExceptionUtils.stringifyException(e);
              assertThat(all).contains("test_udfs:stall_at_500").containsIgnoringCase("SIGKILL");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(15));
    Files.deleteIfExists(pidFile);
  }

  @Test
  void aWorkerKilledWithTwoBundlesInFlightRecoversFromACheckpointWithoutLosingARow()
      throws Exception {
    Path marker =
        Path.of(
            System.getProperty("java.io.tmpdir"),
            "fnharness-die-once-" + ProcessHandle.current().pid() + ".marker");
    Files.deleteIfExists(marker);
    int rows = 12_000;
    StreamExecutionEnvironment env =
        ScalarJobs.environment(
            1, "python.fn-execution.bundle.size", "500", "python.fn-execution.batch.size", "100");
    ScalarJobs.restartTwiceOnFailure(env);
    env.enableCheckpointing(100);
    DataStream<Row> input =
        env.fromSource(
            new DataGeneratorSource<>(
                (GeneratorFunction<Long, Row>) Row::of,
                rows,
                RateLimiterStrategy.perSecond(5000),
                Types.ROW_NAMED(new String[] {"x"}, Types.LONG)),
            WatermarkStrategy.noWatermarks(),
            "12k rows in 2.4 s");
    // At row 6000, the first of a bundle, the worker sleeps 0.5 s and then kills itself: the
    // task thread meanwhile fills and closes the next bundle (unless a checkpoint barrier comes
    // first and waits for the stuck one), so usually two bundles are in flight when it dies.
    DataStream<Row> result =
        PythonFunctions.scalar(
            input,
            PythonScalarFunction.of("test_udfs:add_one_dies_once_at")
                .args(
                    PythonExpression.col("x"),
                    PythonExpression.lit(6000L),
                    PythonExpression.lit(marker.toString()))
                .returns(Types.LONG)
                .as("y"));

    long[] seen = new long[rows];
    try (CloseableIterator<Row> it = result.executeAndCollect("killed-and-recovered")) {
      while (it.hasNext()) {
        Row row = it.next();
        long x = (Long) row.getField(0);
        assertThat(row.getField(1)).isEqualTo(x + 1);
        seen[(int) x]++;
      }
    }
    assertThat(Files.exists(marker)).as("the worker was killed once").isTrue();
    assertThat(LongStream.range(0, rows).filter(x -> seen[(int) x] != 1).limit(10).toArray())
        .as("rows missing or duplicated")
        .isEmpty();
    Files.deleteIfExists(marker);
  }

  @Test
  void cancellingTheJobStopsItsWorker() throws Exception {
    Path pidFile = stalledWorkerPidFile();
    Files.deleteIfExists(pidFile);
    StreamExecutionEnvironment env =
        ScalarJobs.environment(1, "python.fn-execution.batch.size", "100");
    PythonFunctions.scalar(
            ScalarJobs.numbers(env, 2000),
            PythonScalarFunction.of("test_udfs:stall_at_500").args("x").returns(Types.LONG))
        .sinkTo(new DiscardingSink<>());
    JobClient job = env.executeAsync("cancelled-job");
    long pid = waitForPid(pidFile, Duration.ofSeconds(60));

    job.cancel().get(30, TimeUnit.SECONDS);

    ProcessHandle worker = ProcessHandle.of(pid).orElse(null);
    if (worker != null) {
      worker.onExit().get(10, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(pidFile);
  }

  /** Where test_udfs.stall_at_500 reports its pid: named after this JVM, the worker's parent. */
  private static Path stalledWorkerPidFile() {
    return Path.of(
        System.getProperty("java.io.tmpdir"),
        "fnharness-stalled-worker-" + ProcessHandle.current().pid() + ".pid");
  }

  private static long waitForPid(Path pidFile, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(pidFile)) {
        return Long.parseLong(Files.readString(pidFile).trim());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the worker never reached row 500");
  }

  /** Runs after every job above: none of them may leave a Python worker behind. */
  @AfterAll
  static void noWorkerOutlivesItsJob() throws Exception {
    assertThat(TestPython.workersStillRunning())
        .as("Python workers still running after their jobs ended")
        .isEmpty();
  }
}
