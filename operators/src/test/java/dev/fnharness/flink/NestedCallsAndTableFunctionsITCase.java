package dev.fnharness.flink;

import static dev.fnharness.flink.PythonExpression.call;
import static dev.fnharness.flink.PythonExpression.col;
import static dev.fnharness.flink.PythonExpression.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Nested calls, kept columns and table functions in whole jobs, with real Python workers. */
class NestedCallsAndTableFunctionsITCase {

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  /** Parallelism 1 and small bundles and batches, so that order and boundaries are tested. */
  private static StreamExecutionEnvironment environment() {
    return ScalarJobs.environment(
        1, "python.fn-execution.bundle.size", "7", "python.fn-execution.batch.size", "3");
  }

  private static List<Row> collect(DataStream<Row> stream, String job) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<Row> it = stream.executeAndCollect(job)) {
      it.forEachRemaining(rows::add);
    }
    return rows;
  }

  @Test
  void nestedCallsAndKeptColumnsFeedATableFunction() throws Exception {
    StreamExecutionEnvironment env = environment();
    DataStream<Row> lines =
        env.fromData(
            Types.ROW_NAMED(
                new String[] {"id", "line", "note"}, Types.LONG, Types.STRING, Types.STRING),
            Row.of(1L, "the quick fox", "n1"),
            Row.of(2L, "", "n2"),
            Row.of(3L, null, "n3"),
            Row.of(4L, "jumps", "n4"),
            Row.of(5L, "over the lazy dog", "n5"));

    // f(g(x), h(y)) shapes, computed in the worker: concat(id, ':', upper(line)) and
    // times(add_one(id), 10); the output keeps line and id, in that order, and drops note.
    DataStream<Row> tagged =
        PythonFunctions.on(lines)
            .keep("line", "id")
            .scalar(
                PythonScalarFunction.of("test_udfs:concat")
                    .args(col("id"), lit(":"), call("test_udfs:upper").args("line"))
                    .returns(Types.STRING)
                    .as("tag"),
                PythonScalarFunction.of("test_udfs:times")
                    .args(call("test_udfs:add_one").args("id"), lit(10))
                    .returns(Types.LONG)
                    .as("score"));
    // One row per word of upper(line), keeping id and score; then a scalar function on the words.
    DataStream<Row> words =
        PythonFunctions.on(tagged)
            .keep("id", "score")
            .table(
                PythonTableFunction.of("test_udfs:words_with_length")
                    .args(call("test_udfs:upper").args("line"))
                    .returns(
                        Types.ROW_NAMED(new String[] {"word", "len"}, Types.STRING, Types.INT)));
    DataStream<Row> shouted =
        PythonFunctions.scalar(
            words,
            PythonScalarFunction.of("test_udfs:concat")
                .args(col("word"), lit("!"))
                .returns(Types.STRING)
                .as("shout"));

    assertThat(shouted.getType().toString())
        .isEqualTo("Row(id: Long, score: Long, word: String, len: Integer, shout: String)");
    assertThat(collect(shouted, "nested-and-table"))
        .containsExactly(
            Row.of(1L, 20L, "THE", 3, "THE!"),
            Row.of(1L, 20L, "QUICK", 5, "QUICK!"),
            Row.of(1L, 20L, "FOX", 3, "FOX!"),
            Row.of(4L, 50L, "JUMPS", 5, "JUMPS!"),
            Row.of(5L, 60L, "OVER", 4, "OVER!"),
            Row.of(5L, 60L, "THE", 3, "THE!"),
            Row.of(5L, 60L, "LAZY", 4, "LAZY!"),
            Row.of(5L, 60L, "DOG", 3, "DOG!"));

    assertThat(
            collect(
                PythonFunctions.on(lines)
                    .keep("id", "note")
                    .scalar(
                        PythonScalarFunction.of("test_udfs:concat")
                            .args(col("id"), lit(":"), call("test_udfs:upper").args("line"))
                            .returns(Types.STRING)
                            .as("tag")),
                "kept-columns"))
        .containsExactly(
            Row.of(1L, "n1", "1:THE QUICK FOX"),
            Row.of(2L, "n2", "2:"),
            Row.of(3L, "n3", "3:None"),
            Row.of(4L, "n4", "4:JUMPS"),
            Row.of(5L, "n5", "5:OVER THE LAZY DOG"));
  }

  @Test
  void tableFunctionYieldsZeroToThousandsOfRowsPerInputInOrder() throws Exception {
    StreamExecutionEnvironment env = environment();
    DataStream<Row> counts =
        env.fromSequence(0, 59)
            .map(i -> Row.of(i, (int) (i == 30 ? 25_000 : i % 4 == 0 ? 0 : i * 7)))
            .returns(Types.ROW_NAMED(new String[] {"i", "n"}, Types.LONG, Types.INT));

    DataStream<Row> rows =
        PythonFunctions.on(counts)
            .keep("i")
            .table(
                PythonTableFunction.of("test_udfs:count_up").args("n").returns(Types.LONG).as("k"));

    List<Row> expected = new ArrayList<>();
    for (long i = 0; i < 60; i++) {
      long n = i == 30 ? 25_000 : i % 4 == 0 ? 0 : i * 7;
      for (long k = 0; k < n; k++) {
        expected.add(Row.of(i, k));
      }
    }
    List<Row> actual = collect(rows, "zero-to-thousands");
    assertThat(actual).hasSize(expected.size());
    assertThat(actual).isEqualTo(expected);
  }

  @AfterAll
  static void noWorkerOutlivesItsJob() throws Exception {
    assertThat(TestPython.workersStillRunning())
        .as("Python workers still running after their jobs ended")
        .isEmpty();
  }
}
