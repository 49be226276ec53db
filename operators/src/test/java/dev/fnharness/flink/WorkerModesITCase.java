package dev.fnharness.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fnharness.harness.testing.TestDocker;
import dev.fnharness.harness.testing.TestPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The process-mode job of {@link PythonFunctionsITCase} in docker and external mode (python.files
 * travel to the worker over gRPC), and workers shared by the operators of a slot.
 */
class WorkerModesITCase {

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static TestPool pool;

  @BeforeAll
  static void startPool() throws Exception {
    pool = TestPool.start(TestPython.executable(), null);
  }

  @AfterAll
  static void stopPool() throws Exception {
    try {
      assertThat(pool.awaitNoWorkers(10)).as("the pool's workers end with their jobs").isTrue();
    } finally {
      pool.close();
    }
  }

  @Test
  void dockerModeRunsTheJob() throws Exception {
    String image = TestDocker.image();
    ScalarJobs.everyRowArrivesOnceWithItsResults(
        ScalarJobs.environment(
            2, "python.worker.mode", "docker", "python.worker.docker.image", image),
        100_000);
    assertThat(TestDocker.fnharnessContainers()).as("containers left after the job").isEmpty();
  }

  @Test
  void externalModeRunsTheJob() throws Exception {
    ScalarJobs.everyRowArrivesOnceWithItsResults(
        ScalarJobs.environment(
            2, "python.worker.mode", "external", "python.worker.external.address", pool.address()),
        100_000);
  }

  /**
   * The pool as if on another host: the runner listens on all interfaces and only workers with
   * their token get in. Scalar functions use Provision, Artifacts, Control, Data and Logging; keyed
   * ones State too.
   */
  @Test
  void externalModeWithTheRunnerOnAllInterfacesRunsScalarAndKeyedJobs(@TempDir Path tmp)
      throws Exception {
    Path tokenFile = Files.writeString(tmp.resolve("pool-token"), "pool-s3cret\n");
    try (TestPool tokenPool = TestPool.start(TestPython.executable(), tokenFile)) {
      String[] options = {
        "python.worker.mode", "external",
        "python.worker.external.address", tokenPool.address(),
        "python.worker.external.token-file", tokenFile.toString(),
        "python.worker.external.runner-bind-host", "0.0.0.0",
        "python.worker.external.runner-host", "127.0.0.1"
      };
      ScalarJobs.everyRowArrivesOnceWithItsResults(ScalarJobs.environment(2, options), 20_000);

      String[] keyed = Arrays.copyOf(options, options.length + 2);
      keyed[options.length] = PythonOptions.PYTHON_FILES.key();
      keyed[options.length + 1] = PythonKeyedFunctionITCase.keyedUdfs().toString();
      StreamExecutionEnvironment env = ScalarJobs.environment(2, keyed);
      DataStream<Row> counts =
          PythonFunctions.process(
              env.fromSequence(0, 999)
                  .map(i -> Row.of(i % 10, i))
                  .returns(Types.ROW_NAMED(new String[] {"k", "x"}, Types.LONG, Types.LONG))
                  .keyBy(r -> (Long) r.getField(0), Types.LONG),
              PythonKeyedFunction.of("keyed_udfs:count")
                  .returns(Types.ROW_NAMED(new String[] {"k", "n"}, Types.LONG, Types.LONG)));
      Map<Long, Long> highest = new HashMap<>();
      try (CloseableIterator<Row> it = counts.executeAndCollect("keyed-all-interfaces")) {
        it.forEachRemaining(
            row -> highest.merge((Long) row.getField(0), (Long) row.getField(1), Math::max));
      }
      assertThat(highest).hasSize(10).allSatisfy((key, n) -> assertThat(n).isEqualTo(100L));

      assertThat(tokenPool.awaitNoWorkers(10)).isTrue();
      assertThat(tokenPool.log())
          .as("every worker got in with its token")
          .doesNotContain("UNAUTHENTICATED")
          .doesNotContain("pool-s3cret");
    }
  }

  private static String[] modeOptions(String mode) {
    return mode.equals("docker")
        ? new String[] {
          "python.worker.mode", "docker", "python.worker.docker.image", TestDocker.image()
        }
        : new String[] {
          "python.worker.mode", "external", "python.worker.external.address", pool.address()
        };
  }

  /** Whether a worker of the mode runs now: a container, or a worker process of the pool. */
  private static boolean aWorkerRuns(String mode) {
    return mode.equals("docker")
        ? !TestDocker.fnharnessContainers().isEmpty()
        : pool.handle().children().anyMatch(ProcessHandle::isAlive);
  }

  private static void assertNoWorkerWithin(String mode, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (aWorkerRuns(mode) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(aWorkerRuns(mode)).as("a %s worker outlived its job", mode).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker", "external"})
  void aFailingJobLeavesNoWorker(String mode) throws Exception {
    StreamExecutionEnvironment env = ScalarJobs.environment(1, modeOptions(mode));
    PythonFunctions.scalar(
            ScalarJobs.numbers(env, 100),
            PythonScalarFunction.of("test_udfs:fail_on_13").args("x").returns(Types.LONG))
        .sinkTo(new DiscardingSink<>());

    assertThatThrownBy(() -> env.execute("failing-" + mode))
        .satisfies(
            e ->
                assertThat(ExceptionUtils.stringifyException(e))
                    .contains("ValueError: thirteen is unlucky (x=13)"));
    assertNoWorkerWithin(mode, Duration.ofSeconds(15));
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker", "external"})
  void aCancelledJobLeavesNoWorker(String mode) throws Exception {
    StreamExecutionEnvironment env = ScalarJobs.environment(1, modeOptions(mode)).setParallelism(1);
    PythonFunctions.scalar(
            ScalarJobs.numbers(env, 1_000_000),
            PythonScalarFunction.of("test_udfs:slow").args("x").returns(Types.LONG))
        .sinkTo(new DiscardingSink<>());
    JobClient job = env.executeAsync("cancelled-" + mode);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!aWorkerRuns(mode) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(aWorkerRuns(mode)).as("the job's %s worker started", mode).isTrue();

    job.cancel().get(30, TimeUnit.SECONDS);

    assertNoWorkerWithin(mode, Duration.ofSeconds(15));
  }

  /** Two Python operators in separate tasks of one slot: which worker pids did each see? */
  private static final int ROWS_OF_TWO_OPERATORS = 400;

  private static List<Set<Long>> workerPidsOfTwoOperators(String scope) throws Exception {
    StreamExecutionEnvironment env =
        ScalarJobs.environment(
            1, "python.worker.scope", scope, "python.fn-execution.bundle.size", "100");
    // slow (5 ms a row, ~2 s in all) keeps the first operator's worker alive until the second
    // operator has surely opened: a shared worker ends with its last user.
    DataStream<Row> first =
        PythonFunctions.scalar(
            ScalarJobs.numbers(env, ROWS_OF_TWO_OPERATORS),
            PythonScalarFunction.of("test_udfs:worker_pid")
                .args(PythonExpression.call("test_udfs:slow").args("x"))
                .returns(Types.LONG)
                .as("p1"));
    // rebalance: the second operator runs in another task of the same slot
    DataStream<Row> second =
        PythonFunctions.scalar(
            first.rebalance(),
            PythonScalarFunction.of("test_udfs:worker_pid").args("x").returns(Types.LONG).as("p2"));
    Set<Long> firstPids = new HashSet<>();
    Set<Long> secondPids = new HashSet<>();
    long rows = 0;
    try (CloseableIterator<Row> it = second.executeAndCollect("shared-" + scope)) {
      while (it.hasNext()) {
        Row row = it.next();
        firstPids.add((Long) row.getField(1));
        secondPids.add((Long) row.getField(2));
        rows++;
      }
    }
    assertThat(rows).isEqualTo(ROWS_OF_TWO_OPERATORS);
    List<Set<Long>> pids = new ArrayList<>();
    pids.add(firstPids);
    pids.add(secondPids);
    return pids;
  }

  @Test
  void slotScopeSharesOneWorkerBetweenTheOperatorsOfASlot() throws Exception {
    List<Set<Long>> pids = workerPidsOfTwoOperators("slot");
    assertThat(pids.get(0)).hasSize(1);
    assertThat(pids.get(1)).isEqualTo(pids.get(0));
  }

  @Test
  void operatorScopeGivesEachOperatorItsOwnWorker() throws Exception {
    List<Set<Long>> pids = workerPidsOfTwoOperators("operator");
    assertThat(pids.get(0)).hasSize(1);
    assertThat(pids.get(1)).hasSize(1).doesNotContainAnyElementsOf(pids.get(0));
  }
}
