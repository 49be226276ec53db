package dev.fnharness.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.LongStream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/** Jobs that more than one test class runs, e.g. the same job in every worker mode. */
final class ScalarJobs {

  private ScalarJobs() {}

  static StreamExecutionEnvironment environment(int parallelism, String... options) {
    Configuration config = TestPython.config(options);
    config.setString("restart-strategy.type", "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(parallelism);
    return env;
  }

  /** Lets the job restart twice, 100 ms apart, for tests that fail a worker on purpose. */
  static void restartTwiceOnFailure(StreamExecutionEnvironment env) {
    env.configure(
        Configuration.fromMap(
            Map.of(
                "restart-strategy.type", "fixed-delay",
                "restart-strategy.fixed-delay.attempts", "2",
                "restart-strategy.fixed-delay.delay", "100 ms")));
  }

  static DataStream<Row> numbers(StreamExecutionEnvironment env, long count) {
    return env.fromSequence(0, count - 1)
        .map(Row::of)
        .returns(Types.ROW_NAMED(new String[] {"x"}, Types.LONG));
  }

  /** add_one and is_even over 0..rows-1: every row must come back once with both results. */
  static void everyRowArrivesOnceWithItsResults(StreamExecutionEnvironment env, int rows)
      throws Exception {
    DataStream<Row> result =
        PythonFunctions.scalar(
            numbers(env, rows),
            PythonScalarFunction.of("test_udfs:add_one").args("x").returns(Types.LONG).as("y"),
            PythonScalarFunction.of("test_udfs:is_even")
                .args("x")
                .returns(Types.BOOLEAN)
                .as("even"));

    long[] seen = new long[rows];
    long count = 0;
    try (CloseableIterator<Row> it = result.executeAndCollect("scalar-" + rows)) {
      while (it.hasNext()) {
        Row row = it.next();
        long x = (Long) row.getField(0);
        assertThat(row.getField(1)).isEqualTo(x + 1);
        assertThat(row.getField(2)).isEqualTo(x % 2 == 0);
        seen[(int) x]++;
        count++;
      }
    }
    assertThat(count).isEqualTo(rows);
    assertThat(LongStream.of(seen).allMatch(n -> n == 1)).isTrue();
  }
}
