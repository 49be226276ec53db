package dev.fnharness.flink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fnharness.flink.PythonScalarFunction;
import dev.fnharness.flink.TestPython;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operator with a real Python worker, driven by Flink's operator test harness. */
class PythonScalarFunctionOperatorTest {

  private static final RowTypeInfo INPUT =
      (RowTypeInfo) Types.ROW_NAMED(new String[] {"x", "name"}, Types.LONG, Types.STRING);

  private OneInputStreamOperatorTestHarness<Row, Row> harness;

  private void open(String... options) throws Exception {
    ScalarFunctionPlan plan =
        ScalarFunctionPlan.of(
            INPUT,
            List.of(
                PythonScalarFunction.of("test_udfs:add_one").args("x").returns(Types.LONG).as("y"),
                PythonScalarFunction.of("test_udfs:describe")
                    .args("name", "x")
                    .returns(Types.STRING)
                    .as("d")));
    harness =
        new OneInputStreamOperatorTestHarness<>(
            new PythonScalarFunctionOperator(
                plan, PythonConfig.capture(TestPython.config(options))));
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private List<Row> outputRows() {
    return harness.extractOutputValues();
  }

  @Test
  void bundleClosesWhenItHoldsBundleSizeRows() throws Exception {
    open("python.fn-execution.bundle.size", "3", "python.fn-execution.bundle.time", "3600000");

    harness.processElement(Row.of(1L, "a"), 10);
    harness.processElement(Row.of(2L, "b"), 11);
    assertThat(outputRows()).as("bundle still open").isEmpty();

    harness.processElement(Row.of(3L, null), 12);

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

    assertThat(outputRows()).containsExactly(Row.of(1L, "a", 2L, "a:1"), Row.of(null, "b", null, "b:None"));
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
  void watermarkWithoutOpenBundlePassesAtOnce() throws Exception {
    open();

    harness.processWatermark(new Watermark(3));

    assertThat(harness.getOutput()).containsExactly(new Watermark(3));
  }
}
