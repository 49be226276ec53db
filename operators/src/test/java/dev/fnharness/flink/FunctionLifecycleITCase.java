package dev.fnharness.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.ParameterTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python function classes on a MiniCluster with real workers: one instance per operator instance,
 * {@code open(context)} before its first row, {@code close()} at the end, also after a failure. The
 * instances record their lifecycle in a file (udfs/lifecycle_udfs.py); the test writes the module
 * that names it.
 */
class FunctionLifecycleITCase {

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Path record;

  @Test
  void openRunsOncePerOperatorInstanceBeforeItsFirstRowAndCloseAtTheEnd() throws Exception {
    StreamExecutionEnvironment env = environment(2, null, null);
    DataStream<Row> out = recorded(env, 1000);

    long rows = 0;
    try (CloseableIterator<Row> it = out.executeAndCollect("lifecycle")) {
      while (it.hasNext()) {
        Row row = it.next();
        assertThat(row.getField(1)).isEqualTo((Long) row.getField(0) + 1);
        rows++;
      }
    }
    assertThat(rows).isEqualTo(1000);

    Map<String, List<JsonNode>> instances = instancesOnceClosed(2);
    // An instance may get no rows: the sequence's splits go to whichever reader asks first.
    assertThat(instances.values())
        .allSatisfy(
            events ->
                assertThat(names(events))
                    .isIn(List.of("open", "first_row", "close"), List.of("open", "close")));
    assertThat(instances.values())
        .anySatisfy(events -> assertThat(names(events)).contains("first_row"));
    assertThat(instances.values().stream().mapToLong(e -> last(e).get("rows").asLong()).sum())
        .as("rows over all instances")
        .isEqualTo(1000);
    // Each operator instance has a worker of its own (python.worker.scope: operator).
    assertThat(pids(instances)).hasSize(2);
    // The function runs on the thread of its descriptor, which also opens and closes it.
    assertThat(instances.values())
        .allSatisfy(
            events ->
                assertThat(events.stream().map(e -> e.get("thread").asText()).distinct())
                    .hasSize(1));
  }

  @Test
  void closeRunsAfterAFailedBundleAndWhenTheFailureCancelsTheOtherInstance() throws Exception {
    StreamExecutionEnvironment env = environment(2, 500L, null);
    recorded(env, 1000).sinkTo(new DiscardingSink<>());

    assertThatThrownBy(() -> env.execute("lifecycle-failure"))
        .satisfies(
            e ->
                assertThat(ExceptionUtils.stringifyException(e))
                    .contains("ValueError: failing on purpose at x=500"));

    Map<String, List<JsonNode>> instances = instancesOnceClosed(2);
    List<List<String>> lifecycles =
        instances.values().stream().map(FunctionLifecycleITCase::names).toList();
    // The instance that raised is closed when its bundle fails; the other one when the failure
    // cancels its task and its worker's Control stream closes, whether or not its rows got to it.
    assertThat(lifecycles).contains(List.of("open", "first_row", "raise", "close"));
    assertThat(lifecycles)
        .allSatisfy(
            events -> {
              assertThat(events.get(0)).isEqualTo("open");
              assertThat(events.get(events.size() - 1)).isEqualTo("close");
              assertThat(events).containsOnlyOnce("open", "close");
            });
  }

  @Test
  void aRestartOpensNewInstancesAndTheFailedAttemptsAreClosed() throws Exception {
    StreamExecutionEnvironment env = environment(2, 500L, dir.resolve("failed-once").toString());
    ScalarJobs.restartTwiceOnFailure(env);
    recorded(env, 1000).sinkTo(new DiscardingSink<>());
    env.execute("lifecycle-restart");

    // The two operator instances of the first attempt, and the one restarted: the failover
    // restarts only the failed instance's region (source, function and sink are chained).
    Map<String, List<JsonNode>> instances = instancesOnceClosed(3);
    assertThat(instances.values())
        .allSatisfy(
            events -> {
              List<String> lifecycle = names(events);
              assertThat(lifecycle.get(0)).isEqualTo("open");
              assertThat(lifecycle.get(lifecycle.size() - 1)).isEqualTo("close");
              assertThat(lifecycle).containsOnlyOnce("open", "close");
            });
    assertThat(instances.values().stream().filter(events -> names(events).contains("raise")))
        .hasSize(1);
    assertThat(pids(instances)).as("a worker for each").hasSize(3);
  }

  @Test
  void openIsToldWhichOperatorInstanceItRunsIn() throws Exception {
    StreamExecutionEnvironment env = environment(2, null, null);
    env.getConfig().setGlobalJobParameters(ParameterTool.fromMap(Map.of("model", "v2")));
    recorded(env, 100).sinkTo(new DiscardingSink<>());
    env.execute("lifecycle-context");

    List<JsonNode> opens =
        instancesOnceClosed(2).values().stream().map(events -> events.get(0)).toList();
    assertThat(opens)
        .extracting(open -> open.get("subtask").asInt())
        .containsExactlyInAnyOrder(0, 1);
    assertThat(opens)
        .allSatisfy(
            open -> {
              assertThat(open.get("parallelism").asInt()).isEqualTo(2);
              assertThat(open.get("attempt").asInt()).isZero();
              assertThat(open.get("task").asText())
                  .contains("Python lifecycle_udfs:Recorder")
                  .contains("(" + (open.get("subtask").asInt() + 1) + "/2)");
              assertThat(open.get("parameters").get("model").asText()).isEqualTo("v2");
            });
  }

  @Test
  void operatorsSharingTheirSlotsWorkerEachHaveAnInstanceClosedWhenTheWorkerEnds()
      throws Exception {
    StreamExecutionEnvironment env = environment(1, null, null, "python.worker.scope", "slot");
    DataStream<Row> once = recorded(env, 300);
    DataStream<Row> twice =
        PythonFunctions.on(once)
            .keep("x")
            .scalar(
                PythonScalarFunction.of("lifecycle_udfs:Recorder")
                    .args("x")
                    .returns(Types.LONG)
                    .as("y"));
    twice.sinkTo(new DiscardingSink<>());
    env.execute("lifecycle-slot");

    Map<String, List<JsonNode>> instances = instancesOnceClosed(2);
    assertThat(pids(instances)).as("one worker for the slot").hasSize(1);
    assertThat(instances.values())
        .allSatisfy(
            events -> assertThat(names(events)).containsExactly("open", "first_row", "close"));
  }

  @Test
  void aKeyedFunctionClassGetsItsTimersOnItsOnTimerMethod() throws Exception {
    StreamExecutionEnvironment env = environment(1, null, null);
    TypeInformation<Row> keyAndX = Types.ROW_NAMED(new String[] {"k", "x"}, Types.LONG, Types.LONG);
    DataStream<Row> rows = env.fromSequence(0, 29).map(i -> Row.of(i % 3, i)).returns(keyAndX);
    DataStream<Row> out =
        PythonFunctions.process(
            rows.keyBy(r -> (Long) r.getField(0), Types.LONG),
            PythonKeyedFunction.of("lifecycle_udfs:Tally")
                .returns(Types.ROW_NAMED(new String[] {"k", "said"}, Types.LONG, Types.STRING)));

    List<String> said = new ArrayList<>();
    try (CloseableIterator<Row> it = out.executeAndCollect("lifecycle-keyed")) {
      it.forEachRemaining(row -> said.add(row.getField(0) + ": " + row.getField(1)));
    }

    Map<String, List<JsonNode>> instances = instancesOnceClosed(1);
    String instance = instances.keySet().iterator().next();
    assertThat(said)
        .containsExactlyInAnyOrder(
            "0: 10 rows, timer of " + instance,
            "1: 10 rows, timer of " + instance,
            "2: 10 rows, timer of " + instance);
    assertThat(names(instances.get(instance))).containsExactly("open", "first_row", "close");
  }

  @AfterAll
  static void noWorkerOutlivesItsJob() throws Exception {
    TestPython.assertNoWorkerLeft();
  }

  // -- the job and its record ---------------------------------------------------------------

  /**
   * The environment, with the record module saying where to record and when to fail ({@code failAt}
   * null: never; {@code failedOnce}: a marker file that makes it fail once only).
   */
  private StreamExecutionEnvironment environment(
      int parallelism, Long failAt, String failedOnce, String... options) throws IOException {
    record = dir.resolve("record.jsonl");
    Path module = dir.resolve("lifecycle_record.py");
    Files.writeString(
        module,
        "PATH = "
            + pythonString(record.toString())
            + "\nFAIL_AT = "
            + (failAt == null ? "None" : failAt)
            + "\nFAILED_ONCE = "
            + (failedOnce == null ? "None" : pythonString(failedOnce))
            + "\n");
    String[] all = new String[options.length + 2];
    System.arraycopy(options, 0, all, 0, options.length);
    all[options.length] = PythonOptions.PYTHON_FILES.key();
    all[options.length + 1] = lifecycleUdfs() + "," + module;
    return ScalarJobs.environment(parallelism, all);
  }

  private static DataStream<Row> recorded(StreamExecutionEnvironment env, long rows) {
    return PythonFunctions.scalar(
        ScalarJobs.numbers(env, rows),
        PythonScalarFunction.of("lifecycle_udfs:Recorder").args("x").returns(Types.LONG).as("y"));
  }

  /**
   * The recorded events by instance, once {@code count} instances have recorded their close: the
   * job may end just before its workers do (they exit after their operators close).
   */
  private Map<String, List<JsonNode>> instancesOnceClosed(int count) throws Exception {
    Map<String, List<JsonNode>> instances = Map.of();
    for (int attempt = 0; attempt < 100; attempt++) {
      instances = instances();
      long closed = instances.values().stream().filter(e -> names(e).contains("close")).count();
      if (closed >= count) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(instances).as("instances recorded in %s", record).hasSize(count);
    return instances;
  }

  private Map<String, List<JsonNode>> instances() throws IOException {
    Map<String, List<JsonNode>> byInstance = new LinkedHashMap<>();
    if (!Files.exists(record)) {
      return byInstance;
    }
    for (String line : Files.readAllLines(record)) {
      JsonNode event = JSON.readTree(line);
      byInstance.computeIfAbsent(event.get("instance").asText(), k -> new ArrayList<>()).add(event);
    }
    return byInstance;
  }

  private static List<String> names(List<JsonNode> events) {
    return events.stream().map(e -> e.get("event").asText()).toList();
  }

  private static JsonNode last(List<JsonNode> events) {
    return events.get(events.size() - 1);
  }

  private static Set<String> pids(Map<String, List<JsonNode>> instances) {
    return instances.values().stream()
        .map(events -> events.get(0).get("pid").asText())
        .collect(Collectors.toSet());
  }

  private static String pythonString(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static Path lifecycleUdfs() {
    try {
      return Path.of(FunctionLifecycleITCase.class.getResource("/udfs/lifecycle_udfs.py").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
