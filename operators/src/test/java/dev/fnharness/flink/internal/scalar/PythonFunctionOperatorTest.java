package dev.fnharness.flink.internal.scalar;

import static dev.fnharness.flink.PythonExpression.call;
import static dev.fnharness.flink.PythonExpression.col;
import static dev.fnharness.flink.PythonExpression.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fnharness.flink.PythonFunctionException;
import dev.fnharness.flink.PythonScalarFunction;
import dev.fnharness.flink.PythonTableFunction;
import dev.fnharness.flink.TestPython;
import dev.fnharness.flink.internal.config.PythonConfig;
import dev.fnharness.flink.internal.plan.RowFunctionPlan;
import dev.fnharness.flink.internal.plan.ScalarFunctionPlan;
import dev.fnharness.flink.internal.plan.TableFunctionPlan;
import dev.fnharness.flink.internal.worker.ShippedPythonFiles;
import dev.fnharness.flink.internal.worker.WorkerSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator with a real Python worker, driven by Flink's operator test harness. */
public class PythonFunctionOperatorTest {

  private static final RowTypeInfo INPUT =
      (RowTypeInfo) Types.ROW_NAMED(new String[] {"x", "name"}, Types.LONG, Types.STRING);

  private OneInputStreamOperatorTestHarness<Row, Row> harness;

  private void open(String... options) throws Exception {
    open(
        ScalarFunctionPlan.of(
            INPUT,
            List.of(
                PythonScalarFunction.of("test_udfs:add_one").args("x").returns(Types.LONG).as("y"),
                PythonScalarFunction.of("test_udfs:describe")
                    .args("name", "x")
                    .returns(Types.STRING)
                    .as("d"))),
        options);
  }

  private void open(RowFunctionPlan plan, String... options) throws Exception {
    open(false, plan, options);
  }

  private void open(boolean objectReuse, RowFunctionPlan plan, String... options) throws Exception {
    harness =
        new OneInputStreamOperatorTestHarness<>(
            plan.newOperator(
                WorkerSetup.of(
                    PythonConfig.capture(TestPython.config(options)), ShippedPythonFiles.none())));
    if (objectReuse) {
      harness.getExecutionConfig().enableObjectReuse();
    }
    harness.open();
  }

  /** Where test_udfs.add_one_gated_at_0 waits for the test: named after this JVM, its parent. */
  private static final Path GATE =
      Path.of(
          System.getProperty("java.io.tmpdir"), "fnharness-gate-" + ProcessHandle.current().pid());

  @BeforeEach
  void closeGate() throws Exception {
    Files.deleteIfExists(GATE);
  }

  @AfterEach
  void close() throws Exception {
    Files.deleteIfExists(GATE);
    if (harness != null) {
      harness.close();
    }
  }

  private List<Row> outputRows() {
    return harness.extractOutputValues();
  }

  /**
   * Runs the task's mailbox, where the operator emits the results of closed bundles that come back
   * while no row arrives, until {@code count} records and watermarks are out.
   */
  private void awaitOutput(int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (harness.getOutput().size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "expected " + count + " records and watermarks, got " + harness.getOutput());
      }
      Optional<Mail> mail = harness.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY);
      if (mail.isPresent()) {
        mail.get().run();
      } else {
        Thread.sleep(5);
      }
    }
  }

  private void openGated(String... options) throws Exception {
    open(
        ScalarFunctionPlan.of(
            INPUT,
            List.of("x"),
            List.of(
                PythonScalarFunction.of("test_udfs:add_one_gated_at_0")
                    .args("x")
                    .returns(Types.LONG)
                    .as("y"))),
        options);
  }

  @Test
  void bundleClosesWhenItHoldsBundleSizeRows() throws Exception {
    open("python.fn-execution.bundle.size", "3", "python.fn-execution.bundle.time", "3600000");

    harness.processElement(Row.of(1L, "a"), 10);
    harness.processElement(Row.of(2L, "b"), 11);
    assertThat(outputRows()).as("bundle still open").isEmpty();

    harness.processElement(Row.of(3L, null), 12);
    awaitOutput(3);

    assertThat(outputRows())
        .containsExactly(
            Row.of(1L, "a", 2L, "a:1"), Row.of(2L, "b", 3L, "b:2"), Row.of(3L, null, 4L, null));
    assertThat(harness.extractOutputStreamRecords())
        .extracting(StreamRecord::getTimestamp)
        .containsExactly(10L, 11L, 12L);
  }

  @Test
  void bundleClosesWhenBundleTimeHasPassed() throws Exception {
    open("python.fn-execution.bundle.size", "1000", "python.fn-execution.bundle.time", "500");
    harness.setProcessingTime(0);

    harness.processElement(Row.of(1L, "a"), 1);
    harness.processElement(Row.of(null, "b"), 2);
    harness.setProcessingTime(499);
    assertThat(outputRows()).isEmpty();

    harness.setProcessingTime(500);
    awaitOutput(2);

    assertThat(outputRows())
        .containsExactly(Row.of(1L, "a", 2L, "a:1"), Row.of(null, "b", null, "b:None"));
  }

  @Test
  void bundleClosesBeforeACheckpointBarrier() throws Exception {
    open("python.fn-execution.bundle.size", "1000", "python.fn-execution.bundle.time", "3600000");
    harness.processElement(Row.of(41L, "z"), 1);

    harness.prepareSnapshotPreBarrier(1L);

    assertThat(outputRows()).containsExactly(Row.of(41L, "z", 42L, "z:41"));
  }

  @Test
  void bundleClosesAtEndOfInput() throws Exception {
    open("python.fn-execution.bundle.size", "1000", "python.fn-execution.bundle.time", "3600000");
    for (long i = 0; i < 2500; i++) {
      harness.processElement(Row.of(i, "n"), i);
    }

    harness.endInput();

    List<Row> rows = outputRows();
    assertThat(rows).hasSize(2500);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i).getField(2)).isEqualTo(i + 1L);
    }
  }

  @Test
  void watermarkWaitsForTheRowsOfTheOpenBundle() throws Exception {
    open("python.fn-execution.bundle.size", "1000", "python.fn-execution.bundle.time", "3600000");
    harness.processElement(Row.of(1L, "a"), 5);
    harness.processElement(Row.of(2L, "b"), 6);

    harness.processWatermark(new Watermark(7));
    assertThat(harness.getOutput()).as("watermark held with the bundle").isEmpty();

    harness.processElement(Row.of(3L, "c"), 8);
    harness.prepareSnapshotPreBarrier(1L);

    List<Object> output = List.copyOf(harness.getOutput());
    assertThat(output).hasSize(4);
    assertThat(output.subList(0, 3)).allMatch(e -> e instanceof StreamRecord);
    assertThat(output.get(3)).isEqualTo(new Watermark(7));
  }

  @Test
  void theNextBundleFillsWhileTheWorkerStillWorksOnAFullOne() throws Exception {
    openGated(
        "python.fn-execution.bundle.size", "3",
        "python.fn-execution.batch.size", "1",
        "python.fn-execution.bundle.time", "3600000");
    for (long x = 0; x < 5; x++) {
      harness.processElement(Row.of(x, "r"), x);
    }
    // Row 0 holds the first bundle in the worker: rows 3 and 4 went in without waiting for it.
    assertThat(outputRows()).isEmpty();

    Files.createFile(GATE);
    awaitOutput(3);
    harness.endInput();

    assertThat(outputRows())
        .containsExactly(
            Row.of(0L, 1L), Row.of(1L, 2L), Row.of(2L, 3L), Row.of(3L, 4L), Row.of(4L, 5L));
    assertThat(harness.extractOutputStreamRecords())
        .extracting(StreamRecord::getTimestamp)
        .containsExactly(0L, 1L, 2L, 3L, 4L);
  }

  @Test
  void withOneBundleInFlightTheNextRowWaitsForTheFullBundlesResults() throws Exception {
    openGated(
        "python.fn-execution.bundle.size", "3",
        "python.fn-execution.bundles-in-flight", "1",
        "python.fn-execution.bundle.time", "3600000");
    for (long x = 0; x < 3; x++) {
      harness.processElement(Row.of(x, "r"), x);
    }
    Files.createFile(GATE);

    harness.processElement(Row.of(3L, "r"), 3);

    assertThat(outputRows()).containsExactly(Row.of(0L, 1L), Row.of(1L, 2L), Row.of(2L, 3L));
  }

  @Test
  void resultsOfManyOverlappedBundlesComeOutInInputOrder() throws Exception {
    open(
        ScalarFunctionPlan.of(
            INPUT,
            List.of("x"),
            List.of(
                PythonScalarFunction.of("test_udfs:add_one")
                    .args("x")
                    .returns(Types.LONG)
                    .as("y"))),
        "python.fn-execution.bundle.size",
        "7",
        "python.fn-execution.batch.size",
        "3",
        "python.fn-execution.bundles-in-flight",
        "3",
        "python.fn-execution.bundle.time",
        "3600000");
    int rows = 5000;
    for (long x = 0; x < rows; x++) {
      harness.processElement(Row.of(x, "r"), x);
    }
    harness.endInput();

    List<StreamRecord<? extends Row>> out = harness.extractOutputStreamRecords();
    assertThat(out).hasSize(rows);
    for (int i = 0; i < rows; i++) {
      assertThat(out.get(i).getValue()).isEqualTo(Row.of((long) i, i + 1L));
      assertThat(out.get(i).getTimestamp()).isEqualTo(i);
    }
  }

  @Test
  void aHeldWatermarkPassesOnceTheBundlesBeforeItHaveEndedNotLater() throws Exception {
    openGated(
        "python.fn-execution.bundle.size", "2",
        "python.fn-execution.batch.size", "1",
        "python.fn-execution.bundle.time", "3600000");
    harness.processElement(Row.of(0L, "r"), 1);
    harness.processElement(Row.of(1L, "r"), 2); // the first bundle is full, held by row 0
    harness.processWatermark(new Watermark(2));
    harness.processElement(Row.of(2L, "r"), 3); // opens the second bundle
    assertThat(harness.getOutput()).as("watermark held with the first bundle").isEmpty();

    Files.createFile(GATE);
    awaitOutput(3);
    assertThat(List.copyOf(harness.getOutput()).subList(0, 3))
        .containsExactly(
            new StreamRecord<>(Row.of(0L, 1L), 1),
            new StreamRecord<>(Row.of(1L, 2L), 2),
            new Watermark(2));

    harness.processWatermark(new Watermark(3));
    assertThat(harness.getOutput()).as("held with the open second bundle").hasSizeLessThan(5);
    harness.endInput();

    assertThat(List.copyOf(harness.getOutput()))
        .containsExactly(
            new StreamRecord<>(Row.of(0L, 1L), 1),
            new StreamRecord<>(Row.of(1L, 2L), 2),
            new Watermark(2),
            new StreamRecord<>(Row.of(2L, 3L), 3),
            new Watermark(3));
  }

  @Test
  void aCheckpointBarrierWaitsForEveryBundleInFlight() throws Exception {
    openGated(
        "python.fn-execution.bundle.size", "2",
        "python.fn-execution.batch.size", "1",
        "python.fn-execution.bundle.time", "3600000");
    harness.processElement(Row.of(0L, "r"), 1);
    harness.processElement(Row.of(1L, "r"), 2); // full, closed, held in the worker by row 0
    harness.processElement(Row.of(2L, "r"), 3); // the open bundle
    assertThat(outputRows()).isEmpty();
    Thread gate =
        new Thread(
            () -> {
              try {
                Thread.sleep(300);
                Files.createFile(GATE);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    gate.start();

    harness.prepareSnapshotPreBarrier(1L);

    assertThat(outputRows()).containsExactly(Row.of(0L, 1L), Row.of(1L, 2L), Row.of(2L, 3L));
    gate.join();
  }

  @Test
  void aFailureInALaterBundleFailsWithTheTraceback() throws Exception {
    open(
        ScalarFunctionPlan.of(
            INPUT,
            List.of(
                PythonScalarFunction.of("test_udfs:fail_on_13")
                    .args("x")
                    .returns(Types.LONG)
                    .as("y"))),
        "python.fn-execution.bundle.size",
        "5",
        "python.fn-execution.batch.size",
        "2");

    assertThatThrownBy(
            () -> {
              for (long x = 0; x < 30; x++) {
                harness.processElement(Row.of(x, "r"), x);
              }
              harness.endInput();
            })
        .isInstanceOf(PythonFunctionException.class)
        // first line first: the function, the row and what Python raised
        .satisfies(
            e ->
                assertThat(e.getMessage().lines().findFirst().orElseThrow())
                    .startsWith("Python function 'test_udfs:fail_on_13' failed on ")
                    .endsWith(": ValueError: thirteen is unlucky (x=13)"))
        .hasMessageContaining("Traceback (most recent call last):")
        .hasMessageContaining("(worker 'test_udfs.fail_on_13-");
    // Batches that came back before the failing one are out, in order; nothing of later bundles.
    List<Row> out = outputRows();
    assertThat(out).hasSizeLessThan(13);
    for (int i = 0; i < out.size(); i++) {
      assertThat(out.get(i).getField(0)).isEqualTo((long) i);
    }
  }

  @Test
  void withObjectReuseEveryRowKeepsItsOwnFieldsWhileItWaits() throws Exception {
    open(
        true,
        ScalarFunctionPlan.of(
            INPUT,
            List.of(
                PythonScalarFunction.of("test_udfs:add_one")
                    .args("x")
                    .returns(Types.LONG)
                    .as("y"))),
        "python.fn-execution.bundle.size",
        "4");
    Row reused = new Row(2);
    for (long x = 0; x < 10; x++) {
      reused.setField(0, x);
      reused.setField(1, "n" + x);
      harness.processElement(reused, x);
    }
    harness.endInput();

    List<Row> expected = new ArrayList<>();
    for (long x = 0; x < 10; x++) {
      expected.add(Row.of(x, "n" + x, x + 1));
    }
    assertThat(outputRows()).isEqualTo(expected);
  }

  @Test
  void withObjectReuseATableFunctionJoinsEachRowWithItsOwnInput() throws Exception {
    open(
        true,
        TableFunctionPlan.of(INPUT, List.of("x", "name"), words()),
        "python.fn-execution.bundle.size",
        "3");
    Row reused = new Row(2);
    for (long x = 0; x < 5; x++) {
      reused.setField(0, x);
      reused.setField(1, "a" + x + " b" + x);
      harness.processElement(reused, x);
    }
    harness.endInput();

    List<Row> expected = new ArrayList<>();
    for (long x = 0; x < 5; x++) {
      expected.add(Row.of(x, "a" + x + " b" + x, "a" + x));
      expected.add(Row.of(x, "a" + x + " b" + x, "b" + x));
    }
    assertThat(outputRows()).isEqualTo(expected);
  }

  @Test
  void watermarkWithoutOpenBundlePassesAtOnce() throws Exception {
    open();

    harness.processWatermark(new Watermark(3));

    assertThat(harness.getOutput()).containsExactly(new Watermark(3));
  }

  @Test
  void nestedCallsAndKeptColumnsInOneRoundTrip() throws Exception {
    // concat(upper(name), '#', add_one(x)) and times(add_one(x), 10), keeping only name
    open(
        ScalarFunctionPlan.of(
            INPUT,
            List.of("name"),
            List.of(
                PythonScalarFunction.of("test_udfs:concat")
                    .args(
                        call("test_udfs:upper").args("name"),
                        lit("#"),
                        call("test_udfs:add_one").args("x"))
                    .returns(Types.STRING)
                    .as("tag"),
                PythonScalarFunction.of("test_udfs:times")
                    .args(call("test_udfs:add_one").args(col("x")), lit(10))
                    .returns(Types.LONG)
                    .as("big"))),
        "python.fn-execution.bundle.size",
        "3");

    harness.processElement(Row.ofKind(RowKind.UPDATE_AFTER, 1L, "ab"), 1);
    harness.processElement(Row.of(null, "c"), 2);
    harness.processElement(Row.of(5L, null), 3);
    awaitOutput(3);

    assertThat(outputRows())
        .containsExactly(
            Row.ofKind(RowKind.UPDATE_AFTER, "ab", "AB#2", 20L),
            Row.of("c", "C#None", null),
            Row.of(null, "None#6", 60L));
  }

  private static PythonTableFunction words() {
    return PythonTableFunction.of("test_udfs:words").args("name").returns(Types.STRING).as("word");
  }

  @Test
  void tableFunctionJoinsEachYieldedRowWithItsInputRowInOrder() throws Exception {
    open(
        TableFunctionPlan.of(INPUT, List.of("x"), words()),
        "python.fn-execution.bundle.size",
        "4",
        "python.fn-execution.batch.size",
        "2");

    harness.processElement(Row.of(1L, "a b"), 10);
    harness.processElement(Row.of(2L, ""), 11); // no rows
    harness.processElement(Row.of(3L, null), 12); // no rows
    harness.processElement(Row.ofKind(RowKind.DELETE, 4L, "c d e"), 13);
    harness.processElement(Row.of(5L, "f"), 14);
    harness.processElement(Row.of(6L, "   "), 15); // no rows, last of the input
    harness.endInput();

    assertThat(outputRows())
        .containsExactly(
            Row.of(1L, "a"),
            Row.of(1L, "b"),
            Row.ofKind(RowKind.DELETE, 4L, "c"),
            Row.ofKind(RowKind.DELETE, 4L, "d"),
            Row.ofKind(RowKind.DELETE, 4L, "e"),
            Row.of(5L, "f"));
    assertThat(harness.extractOutputStreamRecords())
        .extracting(StreamRecord::getTimestamp)
        .containsExactly(10L, 10L, 13L, 13L, 13L, 14L);
  }

  @Test
  void tableFunctionWithThousandsOfRowsForOneInputAndNoneForOthers() throws Exception {
    RowTypeInfo counts =
        (RowTypeInfo) Types.ROW_NAMED(new String[] {"n", "tag"}, Types.INT, Types.STRING);
    open(
        TableFunctionPlan.of(
            counts,
            List.of("tag"),
            PythonTableFunction.of("test_udfs:count_up").args("n").returns(Types.LONG).as("i")),
        "python.fn-execution.bundle.size",
        "3",
        "python.fn-execution.batch.size",
        "2");

    harness.processElement(Row.of(0, "none"), 1);
    harness.processElement(Row.of(10_000, "many"), 2);
    harness.processElement(Row.of(0, "none again"), 3);
    harness.processElement(Row.of(2, "two"), 4);
    harness.endInput();

    List<Row> expected = new ArrayList<>();
    for (long i = 0; i < 10_000; i++) {
      expected.add(Row.of("many", i));
    }
    expected.add(Row.of("two", 0L));
    expected.add(Row.of("two", 1L));
    assertThat(outputRows()).isEqualTo(expected);
  }

  @Test
  void tableFunctionOfSeveralColumnsHoldsTheWatermarkUntilItsRowsAreOut() throws Exception {
    open(
        TableFunctionPlan.of(
            INPUT,
            List.of(),
            PythonTableFunction.of("test_udfs:words_with_length")
                .args("name")
                .returns(Types.ROW_NAMED(new String[] {"w", "len"}, Types.STRING, Types.INT))),
        "python.fn-execution.bundle.size",
        "1000",
        "python.fn-execution.bundle.time",
        "3600000");
    harness.processElement(Row.of(1L, "hello big world"), 1);
    harness.processWatermark(new Watermark(5));
    assertThat(harness.getOutput()).isEmpty();

    harness.prepareSnapshotPreBarrier(1L);

    assertThat(List.copyOf(harness.getOutput()))
        .containsExactly(
            new StreamRecord<>(Row.of("hello", 5), 1),
            new StreamRecord<>(Row.of("big", 3), 1),
            new StreamRecord<>(Row.of("world", 5), 1),
            new Watermark(5));
  }

  @Test
  void tableFunctionErrorNamesTheFunctionTheRowAndItsArguments() throws Exception {
    open(
        TableFunctionPlan.of(
            INPUT,
            List.of("x"),
            PythonTableFunction.of("test_udfs:fail_on_word_13").args("name").returns(Types.STRING)),
        "python.fn-execution.bundle.size",
        "1000");
    harness.processElement(Row.of(1L, "1 2"), 1);
    harness.processElement(Row.of(2L, "12 13 14"), 2);

    assertThatThrownBy(() -> harness.endInput())
        .hasMessageContaining(
            "Python table function 'test_udfs:fail_on_word_13' failed on row 1 of the batch"
                + " (args: '12 13 14')")
        .hasMessageContaining("Traceback (most recent call last)")
        .hasMessageContaining("ValueError: no 13 in '12 13 14'");
  }

  @Test
  void tableFunctionYieldingScalarsForSeveralColumnsIsAClearError() throws Exception {
    open(
        TableFunctionPlan.of(
            INPUT,
            List.of(),
            PythonTableFunction.of("test_udfs:yields_a_scalar")
                .args("name")
                .returns(Types.ROW_NAMED(new String[] {"a", "b"}, Types.STRING, Types.STRING))));
    harness.processElement(Row.of(1L, "x"), 1);

    assertThatThrownBy(() -> harness.endInput())
        .hasMessageContaining(
            "Python table function 'test_udfs:yields_a_scalar' yielded 'x' for row 0 of the batch"
                + " (args: 'x'), but its result has 2 columns (a, b): yield a tuple of 2 values");
  }
}
