package dev.fnharness.flink.internal.scalar;

import static dev.fnharness.flink.internal.testing.FakeWorkerOperators.operator;
import static dev.fnharness.flink.internal.testing.FakeWorkerOperators.runMail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fnharness.flink.PythonScalarFunction;
import dev.fnharness.flink.PythonTableFunction;
import dev.fnharness.flink.internal.plan.RowFunctionPlan;
import dev.fnharness.flink.internal.plan.ScalarFunctionPlan;
import dev.fnharness.flink.internal.plan.TableFunctionPlan;
import dev.fnharness.flink.internal.testing.FakeProcessors;
import dev.fnharness.harness.testing.FakeWorker;
import dev.fnharness.harness.testing.FakeWorker.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random interleavings of rows, watermarks, checkpoint barriers, bundle timeouts and the worker's
 * results, for scalar and table functions, with random bundle sizes, batch sizes and bundles in
 * flight. Each seed gives one script; a failure names its seed, and the same seed replays the same
 * script. What must hold whatever the order:
 *
 * <ul>
 *   <li>every input row's output, and nothing else, comes out, in input order, with its timestamp;
 *   <li>a watermark comes out after every row that arrived before it, watermarks never go back, and
 *       the last one comes out by the end;
 *   <li>after a checkpoint barrier every row that arrived before it has come out.
 * </ul>
 */
class RowOperatorInterleavingsTest {

  private static final RowTypeInfo INPUT =
      (RowTypeInfo) Types.ROW_NAMED(new String[] {"x", "tag"}, Types.LONG, Types.STRING);

  static LongStream seeds() {
    return LongStream.range(0, 60);
  }

  /** Rows x yields: none for x % 3 == 0, then x % 3 rows (x, i). */
  private static List<Object[]> yields(Long x) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; x != null && i < x % 3; i++) {
      rows.add(new Object[] {x * 10 + i});
    }
    return rows;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyInterleavingKeepsOrderWatermarksAndBarriers(long seed) throws Exception {
    Random random = new Random(seed);
    boolean table = random.nextBoolean();
    boolean keepAll = random.nextBoolean();
    List<String> kept = keepAll ? List.of("x", "tag") : List.of("tag");
    RowFunctionPlan plan;
    Supplier<FakeWorker.Processor> processor;
    if (table) {
      plan =
          TableFunctionPlan.of(
              INPUT, kept, PythonTableFunction.of("m:spread").args("x").returns(Types.LONG));
      processor = FakeProcessors.table(plan, args -> yields((Long) args[0]), 1 + random.nextInt(4));
    } else {
      plan =
          ScalarFunctionPlan.of(
              INPUT,
              kept,
              List.of(PythonScalarFunction.of("m:inc").args("x").returns(Types.LONG).as("y")));
      processor =
          FakeProcessors.scalar(
              plan, args -> new Object[] {args[0] == null ? null : (Long) args[0] + 1});
    }
    FakeWorker worker = new FakeWorker("fake-" + seed, Delivery.HELD, processor);
    long bundleTime = 100;
    OneInputStreamOperatorTestHarness<Row, Row> harness =
        new OneInputStreamOperatorTestHarness<>(
            operator(
                plan,
                worker,
                "python.fn-execution.bundle.size",
                String.valueOf(1 + random.nextInt(7)),
                "python.fn-execution.batch.size",
                String.valueOf(1 + random.nextInt(5)),
                "python.fn-execution.bundles-in-flight",
                String.valueOf(1 + random.nextInt(3)),
                "python.fn-execution.bundle.time",
                String.valueOf(bundleTime)));
    if (random.nextBoolean()) {
      harness.getExecutionConfig().enableObjectReuse();
    }
    harness.open();
    Script script = new Script(harness, table, keepAll);
    try {
      long now = 0;
      harness.setProcessingTime(now);
      Row reused = new Row(2);
      for (int step = 0; step < 150; step++) {
        int choice = random.nextInt(100);
        if (choice < 55) {
          Long x = random.nextInt(10) == 0 ? null : (long) random.nextInt(1000);
          Row row = harness.getExecutionConfig().isObjectReuseEnabled() ? reused : new Row(2);
          row.setField(0, x);
          row.setField(1, "t" + step);
          script.row(row, random.nextBoolean() ? (long) step : null);
        } else if (choice < 65) {
          script.watermark(step);
        } else if (choice < 70) {
          script.barrier();
        } else if (choice < 78) {
          now += 1 + random.nextInt((int) bundleTime * 2);
          harness.setProcessingTime(now);
        } else if (choice < 95) {
          worker.release(1 + random.nextInt(4));
        } else {
          runMail(harness);
        }
        script.checkSoFar();
      }
      script.watermark(1000);
      harness.endInput();
      script.checkEnd();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
    } finally {
      harness.close();
    }
  }

  /** What went in, and what must have come out of it. */
  private static final class Script {
    private final OneInputStreamOperatorTestHarness<Row, Row> harness;
    private final boolean table;
    private final boolean keepAll;

    /** The output each input row must give, in input order, as strings. */
    private final List<String> expected = new ArrayList<>();

    /** For each watermark sent, how many expected outputs came before it. */
    private final List<long[]> watermarks = new ArrayList<>();

    Script(OneInputStreamOperatorTestHarness<Row, Row> harness, boolean table, boolean keepAll) {
      this.harness = harness;
      this.table = table;
      this.keepAll = keepAll;
    }

    void row(Row row, Long timestamp) throws Exception {
      Long x = (Long) row.getField(0);
      String tag = (String) row.getField(1);
      String at = "@" + (timestamp == null ? "none" : timestamp);
      if (table) {
        for (Object[] yielded : yields(x)) {
          expected.add(joined(x, tag, yielded[0]) + at);
        }
      } else {
        expected.add(joined(x, tag, x == null ? null : x + 1) + at);
      }
      if (timestamp == null) {
        harness.processElement(new StreamRecord<>(row));
      } else {
        harness.processElement(row, timestamp);
      }
    }

    /** The output row as {@link #describe} writes it: the kept fields, then the result. */
    private String joined(Long x, String tag, Object result) {
      return (keepAll ? x + "|" : "") + tag + "|" + result;
    }

    void watermark(long time) throws Exception {
      watermarks.add(new long[] {time, expected.size()});
      harness.processWatermark(new Watermark(time));
    }

    void barrier() throws Exception {
      harness.prepareSnapshotPreBarrier(1);
      assertThat(outputRows())
          .as("rows out after a checkpoint barrier")
          .containsExactlyElementsOf(expected);
    }

    /** Rows come out in input order, watermarks after the rows before them, never going back. */
    void checkSoFar() {
      List<String> rows = new ArrayList<>();
      long lastWatermark = Long.MIN_VALUE;
      for (Object element : harness.getOutput()) {
        if (element instanceof Watermark mark) {
          assertThat(mark.getTimestamp()).as("watermarks go forward").isGreaterThan(lastWatermark);
          lastWatermark = mark.getTimestamp();
          assertThat(rows.size())
              .as("rows out before watermark %s", mark.getTimestamp())
              .isGreaterThanOrEqualTo((int) rowsBefore(mark.getTimestamp()));
        } else {
          rows.add(describe((StreamRecord<?>) element));
        }
      }
      assertThat(rows.size()).as("rows out so far").isLessThanOrEqualTo(expected.size());
      assertThat(rows)
          .as("rows out so far, in input order")
          .containsExactlyElementsOf(expected.subList(0, rows.size()));
    }

    void checkEnd() {
      checkSoFar();
      assertThat(outputRows()).containsExactlyElementsOf(expected);
      Object last = null;
      for (Object element : harness.getOutput()) {
        last = element instanceof Watermark ? element : last;
      }
      assertThat(last).isEqualTo(new Watermark(1000));
    }

    private long rowsBefore(long watermark) {
      for (long[] sent : watermarks) {
        if (sent[0] == watermark) {
          return sent[1];
        }
      }
      throw new AssertionError("watermark " + watermark + " was never sent");
    }

    private List<String> outputRows() {
      List<String> rows = new ArrayList<>();
      for (Object element : harness.getOutput()) {
        if (element instanceof StreamRecord<?> record) {
          rows.add(describe(record));
        }
      }
      return rows;
    }

    private static String describe(StreamRecord<?> record) {
      Row row = (Row) record.getValue();
      StringBuilder text = new StringBuilder();
      for (int f = 0; f < row.getArity(); f++) {
        text.append(f == 0 ? "" : "|").append(row.getField(f));
      }
      return text.append("@")
          .append(record.hasTimestamp() ? record.getTimestamp() : "none")
          .toString();
    }
  }
}
