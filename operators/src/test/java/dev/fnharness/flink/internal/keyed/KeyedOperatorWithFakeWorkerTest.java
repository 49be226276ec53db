package dev.fnharness.flink.internal.keyed;

import static dev.fnharness.flink.internal.testing.FakeWorkerOperators.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fnharness.flink.PythonFunctionException;
import dev.fnharness.flink.PythonKeyedFunction;
import dev.fnharness.flink.codec.ColumnType;
import dev.fnharness.flink.codec.RowBatchDecoder;
import dev.fnharness.flink.codec.RowBatchDecoder.DecodedBatch;
import dev.fnharness.flink.codec.RowBatchEncoder;
import dev.fnharness.flink.internal.plan.KeyedFunctionPlan;
import dev.fnharness.harness.testing.FakeWorker;
import dev.fnharness.harness.testing.FakeWorker.Delivery;
import dev.fnharness.proto.KeyedAction;
import dev.fnharness.proto.KeyedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The keyed operator with a {@link FakeWorker} answering keyed batches (docs/protocol.md, "Keyed
 * functions and state"): output rows get their event's timestamp, timers the worker asks for fire
 * before the watermark that makes them due passes, and a malformed answer is named. No Python.
 */
@Timeout(60)
class KeyedOperatorWithFakeWorkerTest {

  private static final RowTypeInfo INPUT =
      (RowTypeInfo) Types.ROW_NAMED(new String[] {"name"}, Types.STRING);

  @SuppressWarnings("unchecked")
  private static final KeyedFunctionPlan PLAN =
      KeyedFunctionPlan.of(
          INPUT,
          Types.STRING,
          PythonKeyedFunction.of("m:greet")
              .returns(
                  (TypeInformation<Row>)
                      (TypeInformation<?>)
                          Types.ROW_NAMED(
                              new String[] {"name", "what"}, Types.STRING, Types.STRING)),
          100);

  private KeyedOneInputStreamOperatorTestHarness<String, Row, Row> harness;

  /**
   * What greet does: for a row, emit (key, "row") and register an event-time timer 10 ms after it;
   * for a timer, emit (key, "timer@t"). {@code sourceOffset} shifts the source column, to answer
   * for an event the batch does not have.
   */
  private static Supplier<FakeWorker.Processor> greet(int sourceOffset) {
    List<ColumnType> inputTypes =
        new ArrayList<>(List.of(ColumnType.INT, ColumnType.BIGINT, PLAN.keyType()));
    inputTypes.addAll(PLAN.inputTypes());
    return () -> {
      RowBatchDecoder events = new RowBatchDecoder(inputTypes);
      RowBatchEncoder results =
          new RowBatchEncoder(new int[] {0, 1, 2, 3, 4}, PLAN.outputBatchTypes());
      return input -> {
        DecodedBatch batch = events.decode(input);
        for (int r = 0; r < batch.rowCount(); r++) {
          int source = r + sourceOffset;
          Object key = batch.value(2, r);
          Long time = (Long) batch.value(1, r);
          if ((Integer) batch.value(0, r) == KeyedEvent.KEYED_EVENT_ROW_VALUE) {
            results.add(Row.of(source, KeyedAction.KEYED_ACTION_EMIT_VALUE, null, key, "row"));
            results.add(
                Row.of(
                    source,
                    KeyedAction.KEYED_ACTION_REGISTER_EVENT_TIME_TIMER_VALUE,
                    time + 10,
                    null,
                    null));
          } else {
            results.add(
                Row.of(source, KeyedAction.KEYED_ACTION_EMIT_VALUE, null, key, "timer@" + time));
          }
        }
        return List.of(results.finish());
      };
    };
  }

  private void open(Supplier<FakeWorker.Processor> processor) throws Exception {
    FakeWorker worker = new FakeWorker("fake-keyed", Delivery.LIVE, processor);
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            operator(PLAN, worker), row -> (String) row.getField(0), Types.STRING);
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
  void rowsAndTimersComeOutBeforeTheWatermarkThatMakesThemDue() throws Exception {
    open(greet(0));
    harness.processElement(Row.of("a"), 1);
    harness.processElement(Row.of("b"), 2);
    harness.processWatermark(new Watermark(11));
    harness.processWatermark(new Watermark(20));

    assertThat(output())
        .containsExactly(
            "+I[a, row]@1",
            "+I[b, row]@2",
            "+I[a, timer@11]@11",
            new Watermark(11),
            "+I[b, timer@12]@12",
            new Watermark(20));
  }

  @Test
  void outputForAnEventTheBatchDoesNotHaveIsNamed() throws Exception {
    open(greet(5));
    harness.processElement(Row.of("a"), 1);

    assertThatThrownBy(() -> harness.endInput())
        .isInstanceOf(PythonFunctionException.class)
        .hasMessage("Python function 'm:greet': worker sent output for event 5 of a batch of 1");
  }
}
