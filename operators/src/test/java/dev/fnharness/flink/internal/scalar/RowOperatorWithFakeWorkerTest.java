package dev.fnharness.flink.internal.scalar;

import static dev.fnharness.flink.internal.testing.FakeWorkerOperators.operator;
import static dev.fnharness.flink.internal.testing.FakeWorkerOperators.runMail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.PythonFunctionException;
import dev.fnharness.flink.PythonScalarFunction;
import dev.fnharness.flink.internal.plan.ScalarFunctionPlan;
import dev.fnharness.flink.internal.plan.TransformDescriptor;
import dev.fnharness.flink.internal.testing.FakeProcessors;
import dev.fnharness.harness.testing.FakeWorker;
import dev.fnharness.harness.testing.FakeWorker.Delivery;
import dev.fnharness.proto.OperatorInfo;
import dev.fnharness.proto.ProtoNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.beam.model.pipeline.v1.RunnerApi.PTransform;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.apache.flink.util.ParameterTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scalar/table operator with a {@link FakeWorker}: what it registers, held watermarks, drains
 * at barriers, and how failures and protocol mistakes reach the task. No Python.
 */
@Timeout(60)
class RowOperatorWithFakeWorkerTest {

  private static final RowTypeInfo INPUT =
      (RowTypeInfo) Types.ROW_NAMED(new String[] {"x", "name"}, Types.LONG, Types.STRING);

  private static final ScalarFunctionPlan PLUS_ONE =
      ScalarFunctionPlan.of(
          INPUT,
          List.of(PythonScalarFunction.of("m:plus_one").args("x").returns(Types.LONG).as("y")));

  private static Supplier<FakeWorker.Processor> plusOne() {
    return FakeProcessors.scalar(
        PLUS_ONE, args -> new Object[] {args[0] == null ? null : (Long) args[0] + 1});
  }

  private FakeWorker worker;
  private OneInputStreamOperatorTestHarness<Row, Row> harness;

  private void open(FakeWorker fake, String... options) throws Exception {
    worker = fake;
    harness = new OneInputStreamOperatorTestHarness<>(operator(PLUS_ONE, worker, options));
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private List<Object> output() {
    List<Object> out = new ArrayList<>();
    for (Object element : harness.getOutput()) {
      out.add(
          element instanceof StreamRecord<?> record
              ? record.getValue() + "@" + record.getTimestamp()
              : element);
    }
    return out;
  }

  @Test
  void theDescriptorCarriesTheOperatorInstancesInfo() throws Exception {
    worker = new FakeWorker("fake-info", Delivery.LIVE, plusOne());
    harness = new OneInputStreamOperatorTestHarness<>(operator(PLUS_ONE, worker), 8, 3, 2);
    harness.getExecutionConfig().setGlobalJobParameters(ParameterTool.fromMap(Map.of("k", "v")));
    harness.open();

    PTransform transform =
        worker.registered().get(0).getTransformsOrThrow(TransformDescriptor.TRANSFORM_ID);
    assertThat(transform.getSpec().getUrn()).isEqualTo(ProtoNames.urn(ScalarFunctionPlan.KIND));
    assertThat(transform.getSpec().getPayload()).isEqualTo(PLUS_ONE.payload());
    OperatorInfo info =
        OperatorInfo.parseFrom(
            transform.getAnnotationsOrThrow(TransformDescriptor.OPERATOR_INFO_ANNOTATION));
    assertThat(info.getSubtaskIndex()).isEqualTo(2);
    assertThat(info.getParallelism()).isEqualTo(3);
    assertThat(info.getMaxParallelism()).isEqualTo(8);
    assertThat(info.getAttemptNumber()).isZero();
    assertThat(info.getTaskName()).contains("(3/3)");
    assertThat(info.getJobParametersMap()).containsEntry("k", "v");
  }

  @Test
  void aHeldWatermarkPassesOnceTheBundlesBeforeItHaveEnded() throws Exception {
    open(
        new FakeWorker("fake", Delivery.HELD, plusOne()),
        "python.fn-execution.bundle.size",
        "2",
        "python.fn-execution.bundle.time",
        "3600000");
    harness.processElement(Row.of(1L, "a"), 1);
    harness.processElement(Row.of(2L, "b"), 2); // bundle 1 closes, its results held
    harness.processWatermark(new Watermark(5));
    harness.processElement(Row.of(3L, "c"), 6); // bundle 2 opens
    assertThat(output()).as("the watermark waits for rows 1 and 2").isEmpty();

    worker.releaseAll();
    runMail(harness);
    assertThat(output()).containsExactly("+I[1, a, 2]@1", "+I[2, b, 3]@2", new Watermark(5));

    harness.endInput();
    assertThat(output()).endsWith("+I[3, c, 4]@6");
  }

  @Test
  void aCheckpointBarrierWaitsUntilNoRowIsInFlight() throws Exception {
    open(
        new FakeWorker("fake", Delivery.HELD, plusOne()),
        "python.fn-execution.bundle.size",
        "2",
        "python.fn-execution.batch.size",
        "1");
    for (long x = 0; x < 5; x++) {
      harness.processElement(Row.of(x, null), x);
    }
    harness.prepareSnapshotPreBarrier(1);

    assertThat(harness.extractOutputValues())
        .extracting(row -> row.getField(2))
        .containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(worker.held()).isZero();
  }

  @Test
  void aPythonErrorMidBundleFailsTheTaskNamingTheFunctionAndTheWorker() throws Exception {
    open(
        new FakeWorker(
            "fake-7",
            Delivery.HELD,
            FakeProcessors.scalar(
                PLUS_ONE,
                args -> {
                  if (Long.valueOf(13).equals(args[0])) {
                    throw new IllegalArgumentException(
                        "Python function 'm:plus_one' failed on row 0 of the batch (args: 13)");
                  }
                  return new Object[] {(Long) args[0] + 1};
                })),
        "python.fn-execution.batch.size",
        "1");
    harness.processElement(Row.of(12L, "a"), 1);
    harness.processElement(Row.of(13L, "b"), 2);
    harness.processElement(Row.of(14L, "c"), 3);

    assertThatThrownBy(() -> harness.endInput())
        .isInstanceOf(PythonFunctionException.class)
        .hasMessage(
            "Python function 'm:plus_one' failed on row 0 of the batch (args: 13)\n"
                + "(worker 'fake-7')");
    assertThat(harness.extractOutputValues()).containsExactly(Row.of(12L, "a", 13L));
  }

  @Test
  void functionsTheWorkerCannotLoadFailTheOpenAndTheWorkerIsReleased() {
    FakeWorker refusing =
        new FakeWorker("fake-3", Delivery.LIVE, plusOne())
            .refusingRegistration("Cannot load Python function 'm:plus_one': ModuleNotFoundError");

    assertThatThrownBy(() -> open(refusing))
        .isInstanceOf(PythonFunctionException.class)
        .hasMessage(
            "Cannot load Python function 'm:plus_one': ModuleNotFoundError\n(worker 'fake-3')");
    assertThat(refusing.isClosed()).isTrue();
    harness = null; // never opened: Flink does not finish or close it
  }

  @Test
  void aWorkerThatAnswersWithTooManyResultsIsNamed() throws Exception {
    Supplier<FakeWorker.Processor> twice =
        () -> {
          FakeWorker.Processor once = plusOne().get();
          return input -> {
            List<ByteString> out = once.process(input);
            return List.of(out.get(0), out.get(0));
          };
        };
    open(new FakeWorker("fake-9", Delivery.LIVE, twice));
    harness.processElement(Row.of(1L, "a"), 1);

    assertThatThrownBy(() -> harness.endInput())
        .isInstanceOf(PythonFunctionException.class)
        .hasMessage("Python function 'm:plus_one': worker 'fake-9' sent more results than rows");
  }

  @Test
  void aWorkerThatDiesFailsTheTaskWithWhatItSaid() throws Exception {
    open(new FakeWorker("fake-5", Delivery.MANUAL, plusOne()));
    harness.processElement(Row.of(1L, "a"), 1);
    worker.crash("(pid 42) exited unexpectedly with exit code 137");

    assertThatThrownBy(() -> harness.endInput())
        .isInstanceOf(PythonFunctionException.class)
        .hasMessageStartingWith(
            "Python function 'm:plus_one' failed: Python worker 'fake-5' (pid 42) exited"
                + " unexpectedly with exit code 137");
  }

  @Test
  void closingTheOperatorReleasesItsWorker() throws Exception {
    open(new FakeWorker("fake", Delivery.LIVE, plusOne()));
    harness.close();
    harness = null;
    assertThat(worker.isClosed()).isTrue();
  }
}
