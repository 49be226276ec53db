package dev.fnharness.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The greeter job with a real Python worker: the exact greetings, also across a restart. */
class GreeterJobITCase {

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final Path GREETER = Path.of("src/main/python/greeter.py");

  private static StreamExecutionEnvironment environment() {
    Configuration config =
        GreeterJob.configuration(GREETER, System.getProperty("fnharness.test.python", "python3"));
    config.setString("restart-strategy.type", "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(2);
    return env;
  }

  /** Each name's greetings, in the order the job said them. */
  private static Map<String, List<String>> greetingsByName(DataStream<Row> greetings, String job)
      throws Exception {
    Map<String, List<String>> byName = new LinkedHashMap<>();
    try (CloseableIterator<Row> rows = greetings.executeAndCollect(job)) {
      rows.forEachRemaining(
          row ->
              byName
                  .computeIfAbsent((String) row.getField(0), n -> new ArrayList<>())
                  .add((String) row.getField(1)));
    }
    return byName;
  }

  @Test
  void greetsEveryNameByHowOftenItCame() throws Exception {
    StreamExecutionEnvironment env = environment();
    DataStream<Row> names =
        env.fromData(
            GreeterJob.NAMES,
            Row.of("Ada"),
            Row.of("Linus"),
            Row.of("Ada"),
            Row.of("Grace"),
            Row.of("Ada"),
            Row.of("Linus"),
            Row.of("Ada"),
            Row.of("Ada"));

    Map<String, List<String>> greetings = greetingsByName(GreeterJob.greetings(names), "greeter");

    assertThat(greetings)
        .containsOnlyKeys("Ada", "Linus", "Grace")
        .containsEntry(
            "Ada",
            List.of(
                "Welcome Ada",
                "Nice to see you again Ada",
                "Third time is a charm Ada",
                "Nice to see you at the 4-th time Ada",
                "Nice to see you at the 5-th time Ada"))
        .containsEntry("Linus", List.of("Welcome Linus", "Nice to see you again Linus"))
        .containsEntry("Grace", List.of("Welcome Grace"));
  }

  private static final String[] CYCLE = {"Ada", "Linus", "Ada", "Grace", "Ada", "Linus"};

  /** Set by the task's map function; the MiniCluster runs in this JVM. */
  static final AtomicBoolean FAILED = new AtomicBoolean();

  static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();

  @Test
  void greetingsStayExactAcrossAFailureAndRestart() throws Exception {
    FAILED.set(false);
    CHECKPOINTED.set(false);
    StreamExecutionEnvironment env = environment();
    env.configure(
        Configuration.fromMap(
            Map.of(
                "restart-strategy.type", "fixed-delay",
                "restart-strategy.fixed-delay.attempts", "2",
                "restart-strategy.fixed-delay.delay", "100 ms")));
    env.enableCheckpointing(50);
    int total = 1200;
    DataStream<Row> names =
        env.fromSource(
                new DataGeneratorSource<>(
                    (GeneratorFunction<Long, Row>) i -> Row.of(CYCLE[(int) (i % CYCLE.length)]),
                    total,
                    RateLimiterStrategy.perSecond(300),
                    GreeterJob.NAMES),
                WatermarkStrategy.noWatermarks(),
                "names")
            .setParallelism(1)
            .map(new FailOnceAfterACheckpoint(100))
            .setParallelism(1)
            .returns(GreeterJob.NAMES);

    Map<String, List<String>> greetings =
        greetingsByName(GreeterJob.greetings(names), "greeter-restart");

    assertThat(FAILED).as("the job failed once").isTrue();
    Map<String, Integer> visits = Map.of("Ada", total / 2, "Linus", total / 3, "Grace", total / 6);
    assertThat(greetings).containsOnlyKeys(visits.keySet());
    visits.forEach(
        (name, times) -> {
          List<String> expected = new ArrayList<>();
          for (int n = 1; n <= times; n++) {
            expected.add(greeting(n, name));
          }
          assertThat(greetings.get(name))
              .as("greetings of %s", name)
              .containsExactlyElementsOf(expected);
        });
  }

  private static String greeting(int n, String name) {
    return switch (n) {
      case 1 -> "Welcome " + name;
      case 2 -> "Nice to see you again " + name;
      case 3 -> "Third time is a charm " + name;
      default -> "Nice to see you at the " + n + "-th time " + name;
    };
  }

  /** Throws once, at the first row from {@code failAt} on that comes after a checkpoint. */
  private static final class FailOnceAfterACheckpoint
      implements MapFunction<Row, Row>, CheckpointListener {

    private final int failAt;
    private int seen;

    FailOnceAfterACheckpoint(int failAt) {
      this.failAt = failAt;
    }

    @Override
    public Row map(Row row) {
      if (++seen >= failAt && CHECKPOINTED.get() && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("failing once after a checkpoint, as the test asked");
      }
      return row;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      CHECKPOINTED.set(true);
    }
  }
}
