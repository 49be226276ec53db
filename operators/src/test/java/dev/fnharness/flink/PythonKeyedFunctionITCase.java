package dev.fnharness.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keyed Python functions with state and timers, on a MiniCluster with real Python workers. */
class PythonKeyedFunctionITCase {

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final TypeInformation<Row> KEY_AND_X =
      Types.ROW_NAMED(new String[] {"k", "x"}, Types.LONG, Types.LONG);

  static Path keyedUdfs() {
    try {
      return Path.of(PythonKeyedFunctionITCase.class.getResource("/udfs/keyed_udfs.py").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static StreamExecutionEnvironment environment(
      int parallelism, String stateBackend, String... options) {
    String[] all = Arrays.copyOf(options, options.length + 4);
    all[options.length] = PythonOptions.PYTHON_FILES.key();
    all[options.length + 1] = keyedUdfs().toString();
    all[options.length + 2] = "state.backend.type";
    all[options.length + 3] = stateBackend;
    return ScalarJobs.environment(parallelism, all);
  }

  /** Rows (k = i % keys, x = i) for i in [0, count). */
  private static DataStream<Row> rows(StreamExecutionEnvironment env, long count, long keys) {
    return env.fromSequence(0, count - 1).map(i -> Row.of(i % keys, i)).returns(KEY_AND_X);
  }

  private static PythonKeyedFunction keyAnd(
      String reference, String name, TypeInformation<?> type) {
    return PythonKeyedFunction.of(reference)
        .returns(Types.ROW_NAMED(new String[] {"k", name}, Types.LONG, type));
  }

  private static List<Row> collect(DataStream<Row> stream, String job) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<Row> it = stream.executeAndCollect(job)) {
      it.forEachRemaining(rows::add);
    }
    return rows;
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void valueStateCountsEveryKeyExactly(String stateBackend) throws Exception {
    StreamExecutionEnvironment env =
        environment(2, stateBackend, "python.fn-execution.batch.size", "250");
    DataStream<Row> counts =
        PythonFunctions.process(
            rows(env, 20_000, 100).keyBy(r -> (Long) r.getField(0), Types.LONG),
            keyAnd("keyed_udfs:count", "n", Types.LONG));

    Map<Long, TreeSet<Long>> seen = new HashMap<>();
    for (Row row : collect(counts, "count-" + stateBackend)) {
      assertThat(
              seen.computeIfAbsent((Long) row.getField(0), k -> new TreeSet<>())
                  .add((Long) row.getField(1)))
          .as("count %s of key %s came twice", row.getField(1), row.getField(0))
          .isTrue();
    }
    assertThat(seen).hasSize(100);
    List<Long> oneToTwoHundred = LongStream.rangeClosed(1, 200).boxed().toList();
    seen.forEach(
        (key, ns) ->
            assertThat(ns).as("counts of key %s", key).containsExactlyElementsOf(oneToTwoHundred));
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void listAndMapStateKeepEveryKeysHistory(String stateBackend) throws Exception {
    StreamExecutionEnvironment env =
        environment(1, stateBackend, "python.fn-execution.bundle.size", "3");
    DataStream<Row> input =
        env.fromData(
            KEY_AND_X,
            Row.of(1L, 5L),
            Row.of(2L, 7L),
            Row.of(1L, 6L),
            Row.of(1L, 5L),
            Row.of(2L, 7L));
    DataStream<Row> out =
        PythonFunctions.process(
            input.keyBy(r -> (Long) r.getField(0), Types.LONG),
            PythonKeyedFunction.of("keyed_udfs:remember")
                .returns(
                    Types.ROW_NAMED(
                        new String[] {"k", "text", "n", "distinct"},
                        Types.LONG,
                        Types.STRING,
                        Types.LONG,
                        Types.INT)));

    assertThat(collect(out, "remember-" + stateBackend).stream().map(Row::toString))
        .containsExactly(
            "+I[1, 5, 1, 1]",
            "+I[2, 7, 1, 1]",
            "+I[1, 5,6, 1, 2]",
            "+I[1, 5,6,5, 2, 2]",
            "+I[2, 7,7, 2, 1]");
  }

  @Test
  void valuesLargerThanOneStateChunkArriveWhole() throws Exception {
    StreamExecutionEnvironment env =
        environment(1, "hashmap", "python.fn-execution.bundle.size", "1");
    DataStream<Row> input = env.fromData(KEY_AND_X, Row.of(1L, 1L), Row.of(1L, 2L), Row.of(1L, 3L));
    DataStream<Row> out =
        PythonFunctions.process(
            input.keyBy(r -> (Long) r.getField(0), Types.LONG),
            PythonKeyedFunction.of("keyed_udfs:grow")
                .returns(
                    Types.ROW_NAMED(
                        new String[] {"k", "size", "probe"},
                        Types.LONG,
                        Types.LONG,
                        Types.STRING)));

    // One bundle per row: each row reads what the last one wrote, 1.2 MB and 1.8 MB by the end.
    assertThat(collect(out, "grow").stream().map(Row::toString))
        .containsExactly("+I[1, 600000, 01]", "+I[1, 1200000, 0102]", "+I[1, 1800000, 010203]");
  }

  @Test
  void stateTtlForgetsIdleKeys() throws Exception {
    StreamExecutionEnvironment env =
        environment(1, "hashmap", "python.fn-execution.bundle.size", "1");
    // Key 1 comes at 0 ms, 100 ms and 3900 ms; with a 1 s TTL only the last visit is 'first' again.
    // (The rate limiter may let up to a second's worth of rows out at once after an idle start,
    // so the last visit is at least 2.9 s after the second, well past the TTL even under load.)
    DataStream<Row> input =
        env.fromSource(
                new DataGeneratorSource<>(
                    (GeneratorFunction<Long, Row>) i -> Row.of(1L, i),
                    40,
                    RateLimiterStrategy.perSecond(10),
                    KEY_AND_X),
                WatermarkStrategy.noWatermarks(),
                "every 100 ms")
            .filter(
                r ->
                    (Long) r.getField(1) == 0
                        || (Long) r.getField(1) == 1
                        || (Long) r.getField(1) == 39);
    DataStream<Row> out =
        PythonFunctions.process(
            input.keyBy(r -> (Long) r.getField(0), Types.LONG),
            keyAnd("keyed_udfs:first_or_again", "visit", Types.STRING)
                .stateTtl(Duration.ofSeconds(1)));

    assertThat(collect(out, "ttl").stream().map(Row::toString))
        .containsExactly("+I[1, first]", "+I[1, again]", "+I[1, first]");
  }

  @Test
  void zeroOneOrManyRowsPerInput() throws Exception {
    StreamExecutionEnvironment env = environment(1, "hashmap");
    DataStream<Row> input = env.fromData(KEY_AND_X, Row.of(1L, 0L), Row.of(2L, 3L), Row.of(3L, 1L));
    DataStream<Row> out =
        PythonFunctions.process(
            input.keyBy(r -> (Long) r.getField(0), Types.LONG),
            keyAnd("keyed_udfs:nothing_or_many", "i", Types.LONG));

    assertThat(collect(out, "many").stream().map(Row::toString))
        .containsExactly("+I[2, 0]", "+I[2, 1]", "+I[2, 2]", "+I[3, 0]");
  }

  @Test
  void eventTimeTimersFireBeforeTheWatermarkPassesThemOn() throws Exception {
    StreamExecutionEnvironment env = environment(1, "hashmap");
    TypeInformation<Row> keyAndTime =
        Types.ROW_NAMED(new String[] {"k", "t"}, Types.STRING, Types.LONG);
    DataStream<Row> input =
        env.fromData(
                keyAndTime, Row.of("a", 1L), Row.of("a", 2L), Row.of("b", 5L), Row.of("a", 40L))
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<Row>forGenerator(c -> new WatermarkAfterEveryRow())
                    .withTimestampAssigner((row, previous) -> (Long) row.getField(1)));
    DataStream<Row> out =
        PythonFunctions.process(
            input.keyBy(r -> (String) r.getField(0), Types.STRING),
            PythonKeyedFunction.of("keyed_udfs:remind_later")
                .onTimer("keyed_udfs:on_reminder")
                .returns(Types.ROW_NAMED(new String[] {"k", "said"}, Types.STRING, Types.STRING)));

    // Watermark 40 comes after row (a, 40): a has 3 rows when its timer at 11 fires and clears.
    assertThat(collect(out, "event-timers").stream().map(Row::toString))
        .containsExactly(
            "+I[a, event_time timer at 11: 3 rows]",
            "+I[a, event_time timer at 12: None rows]",
            "+I[b, event_time timer at 15: 1 rows]",
            "+I[a, event_time timer at 50: None rows]");
  }

  /** A watermark at each row's timestamp, right after the row: timers fire deterministically. */
  private static final class WatermarkAfterEveryRow implements WatermarkGenerator<Row> {
    @Override
    public void onEvent(Row row, long timestamp, WatermarkOutput output) {
      output.emitWatermark(new Watermark(timestamp));
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {}
  }

  @Test
  void processingTimeTimersFire() throws Exception {
    StreamExecutionEnvironment env =
        environment(1, "hashmap", "python.fn-execution.bundle.time", "20");
    DataStream<Row> input =
        env.fromSource(
            new DataGeneratorSource<>(
                (GeneratorFunction<Long, Row>) i -> Row.of(i, i),
                80,
                RateLimiterStrategy.perSecond(20),
                KEY_AND_X),
            WatermarkStrategy.noWatermarks(),
            "every 50 ms for 4 s");
    DataStream<Row> out =
        PythonFunctions.process(
            input.keyBy(r -> (Long) r.getField(0), Types.LONG),
            keyAnd("keyed_udfs:remind_soon", "said", Types.STRING).onTimer("keyed_udfs:on_soon"));

    Map<Long, List<String>> byKey = new TreeMap<>();
    for (Row row : collect(out, "processing-timers")) {
      byKey
          .computeIfAbsent((Long) row.getField(0), k -> new ArrayList<>())
          .add((String) row.getField(1));
    }
    // Timers still pending when the input ends do not fire; the first rows' are long due by then,
    // even when the rows queued up while the worker started.
    for (long key = 0; key < 10; key++) {
      assertThat(byKey.get(key)).as("key %s", key).containsExactly("row", "processing_time");
    }
  }

  @Test
  void stateSurvivesAFailureAfterACheckpointAndCountsStayExact() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    long pid = ProcessHandle.current().pid();
    Path failed = tmp.resolve("fnharness-fail-once-" + pid + ".marker");
    Path checkpointed = tmp.resolve("fnharness-checkpointed-" + pid + ".marker");
    Files.deleteIfExists(failed);
    Files.deleteIfExists(checkpointed);
    RowsCheckpointed.RESTORED.set(false);
    StreamExecutionEnvironment env = environment(2, "hashmap");
    ScalarJobs.restartTwiceOnFailure(env);
    env.enableCheckpointing(100);
    DataStream<Row> input =
        env.fromSource(
                new DataGeneratorSource<>(
                    (GeneratorFunction<Long, Row>) i -> Row.of(i % 100, i),
                    // long enough that rows from FAIL_AT_ROW on still come after the first
                    // completed checkpoint, which on a loaded machine may take seconds
                    20_000,
                    RateLimiterStrategy.perSecond(4000),
                    KEY_AND_X),
                WatermarkStrategy.noWatermarks(),
                "20k rows in 5 s")
            .map(new RowsCheckpointed(checkpointed))
            .returns(KEY_AND_X);
    DataStream<Row> counts =
        PythonFunctions.process(
            input.keyBy(r -> (Long) r.getField(0), Types.LONG),
            keyAnd("keyed_udfs:count_and_fail_once", "n", Types.LONG));

    Map<Long, Long> highest = new TreeMap<>();
    for (Row row : collect(counts, "recovery")) {
      highest.merge((Long) row.getField(0), (Long) row.getField(1), Math::max);
    }
    assertThat(Files.exists(failed)).as("the function failed once, after a checkpoint").isTrue();
    assertThat(RowsCheckpointed.RESTORED).as("the job restarted from that checkpoint").isTrue();
    assertThat(highest).hasSize(100);
    assertThat(highest.values()).as("final count of every key").allMatch(n -> n == 200);
    Files.deleteIfExists(failed);
    Files.deleteIfExists(checkpointed);
  }

  /**
   * Passes rows on; creates {@code marker} once a checkpoint that saw rows has completed, so the
   * Python function fails only when there is a checkpoint to restore from (under load the first one
   * may complete late), and notes whether a restart restored one.
   */
  static final class RowsCheckpointed
      implements MapFunction<Row, Row>, CheckpointedFunction, CheckpointListener {
    static final AtomicBoolean RESTORED = new AtomicBoolean();

    private final String marker;
    private transient long rowsSeen;
    private transient Map<Long, Long> rowsAtCheckpoint;

    RowsCheckpointed(Path marker) {
      this.marker = marker.toString();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
      rowsAtCheckpoint = new HashMap<>();
      if (context.isRestored()) {
        RESTORED.set(true);
      }
    }

    @Override
    public Row map(Row row) {
      rowsSeen++;
      return row;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
      rowsAtCheckpoint.put(context.getCheckpointId(), rowsSeen);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
      Long rows = rowsAtCheckpoint.remove(checkpointId);
      if (rows != null && rows > 0) {
        Path path = Path.of(marker);
        if (!Files.exists(path)) {
          Files.writeString(path, "checkpoint " + checkpointId);
        }
      }
    }
  }

  @Test
  void aRowOfTheWrongWidthNamesTheFunctionAndTheRow() {
    StreamExecutionEnvironment env = environment(1, "hashmap");
    PythonFunctions.process(
            rows(env, 3, 3).keyBy(r -> (Long) r.getField(0), Types.LONG),
            keyAnd("keyed_udfs:bad_row", "n", Types.LONG))
        .sinkTo(new DiscardingSink<>());

    assertThatThrownBy(() -> env.execute("bad-row"))
        .satisfies(
            e ->
                assertThat(ExceptionUtils.stringifyException(e))
                    .contains(
                        "Python function 'keyed_udfs:bad_row' returned the row ('too', 'many', 'values') with 3 values")
                    .contains("['k', 'n']"));
  }

  @Test
  void anExceptionNamesTheFunctionTheKeyAndTheRow() {
    StreamExecutionEnvironment env = environment(1, "hashmap");
    PythonFunctions.process(
            rows(env, 3, 3).keyBy(r -> (Long) r.getField(0), Types.LONG),
            keyAnd("keyed_udfs:raises", "n", Types.LONG))
        .sinkTo(new DiscardingSink<>());

    assertThatThrownBy(() -> env.execute("raises"))
        .satisfies(
            e ->
                assertThat(ExceptionUtils.stringifyException(e))
                    .contains(
                        "Python function 'keyed_udfs:raises' failed on key 0 (row Row(k=0, x=0))")
                    .contains("ValueError: no greeting for 0")
                    .contains("Traceback (most recent call last)"));
  }

  @AfterAll
  static void noWorkerOutlivesItsJob() throws Exception {
    TestPython.assertNoWorkerLeft();
  }
}
