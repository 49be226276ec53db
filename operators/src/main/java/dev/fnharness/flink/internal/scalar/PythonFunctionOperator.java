package dev.fnharness.flink.internal.scalar;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.codec.RowBatchDecoder;
import dev.fnharness.flink.codec.RowBatchEncoder;
import dev.fnharness.flink.internal.bundles.BundleLifecycle;
import dev.fnharness.flink.internal.bundles.OperatorRuntime;
import dev.fnharness.flink.internal.bundles.OutputBundle;
import dev.fnharness.flink.internal.plan.RowFunctionPlan;
import dev.fnharness.flink.internal.worker.WorkerSetup;
import java.util.ArrayDeque;
import org.apache.flink.annotation.Internal;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Row;

/**
 * Calls Python functions on every row, as its {@link RowFunctionPlan} says: {@code Row} in, the
 * kept input fields followed by the results out, in input order. Scalar functions give one output
 * row per input row; a table function gives zero or more ({@link ResultJoin}).
 *
 * <p>Rows are gathered into bundles. Each bundle is streamed to the worker in columnar batches as
 * it fills, and closes when it holds {@code python.fn-execution.bundle.size} rows or when {@code
 * python.fn-execution.bundle.time} has passed since its first row. Closing does not wait: the next
 * bundle fills while the worker finishes the previous one, up to {@code
 * python.fn-execution.bundles-in-flight} bundles, and results still come out in input order ({@link
 * BundleLifecycle}). A checkpoint barrier and the end of input wait for every bundle, so a
 * checkpoint never misses rows in flight. A watermark that arrives while bundles are in flight is
 * held until every row that came before it has been emitted.
 *
 * <p>Threading: gRPC threads only enqueue results ({@link OutputBundle}); rows, watermarks and
 * everything else Flink owns are touched by the task thread alone. What every Python operator does
 * with its worker and its bundles is {@link OperatorRuntime}'s.
 */
@Internal
public final class PythonFunctionOperator extends AbstractStreamOperator<Row>
    implements OneInputStreamOperator<Row, Row>, BoundedOneInput {

  private static final long serialVersionUID = 1L;

  private final RowFunctionPlan plan;
  private final WorkerSetup setup;

  private transient OperatorRuntime<WaitingRows> runtime;
  // Read once: it is consulted for every row.
  private transient int batchSize;
  private transient RowBatchEncoder encoder;
  private transient RowBatchDecoder decoder;
  private transient ResultJoin join;
  private transient int[] keptPositions;

  /** Emptied rows of ended bundles, for the next bundles to reuse. */
  private transient ArrayDeque<WaitingRows> spareWaitingRows;

  private transient HeldWatermark heldWatermark;
  private transient StreamRecord<Row> outputRecord;

  public PythonFunctionOperator(RowFunctionPlan plan, WorkerSetup setup) {
    this.plan = plan;
    this.setup = setup;
  }

  @Override
  public void open() throws Exception {
    super.open();
    encoder = new RowBatchEncoder(plan.argumentSourcePositions(), plan.argumentTypes());
    decoder = new RowBatchDecoder(plan.outputBatchTypes());
    join = plan.newResultJoin();
    keptPositions = plan.keptPositions();
    spareWaitingRows = new ArrayDeque<>();
    heldWatermark = new HeldWatermark();
    outputRecord = new StreamRecord<>(null);
    runtime =
        OperatorRuntime.open(
            this, plan, setup, new Bundles(), OperatorRuntime.Overlap.BUNDLES_IN_FLIGHT, null);
    batchSize = runtime.batchSize();
  }

  @Override
  public void processElement(StreamRecord<Row> element) throws Exception {
    WaitingRows waiting = runtime.openOrDrain();
    Row row = element.getValue();
    // Encode first: a value that cannot go to Python fails here, before the row waits for results.
    encoder.add(row);
    waiting.add(row, element);
    if (encoder.rowCount() >= batchSize) {
      runtime.send(encoder.finish());
    }
    runtime.eventAdded();
  }

  /** What the operator does with its bundles: each has its own waiting rows. */
  private final class Bundles implements BundleLifecycle.Handler<WaitingRows> {

    @Override
    public WaitingRows opened() {
      heldWatermark.bundleOpened();
      WaitingRows spare = spareWaitingRows.poll();
      return spare != null ? spare : new WaitingRows(keptPositions);
    }

    @Override
    public void sendLastBatch() {
      if (encoder.rowCount() > 0) {
        runtime.send(encoder.finish());
      }
    }

    @Override
    public void emit(WaitingRows waiting, ByteString chunk) {
      try {
        join.accept(decoder.decode(chunk), waiting, PythonFunctionOperator.this::emit);
      } catch (ResultJoin.MismatchException e) {
        throw runtime.misbehaved(e.getMessage(), e);
      }
    }

    @Override
    public void ended(WaitingRows waiting) throws Exception {
      try {
        join.endBundle(waiting);
      } catch (ResultJoin.MismatchException e) {
        throw runtime.misbehaved(e.getMessage(), e);
      }
      spareWaitingRows.add(waiting);
      Watermark passing = heldWatermark.bundleEnded();
      if (passing != null) {
        PythonFunctionOperator.super.processWatermark(passing);
      }
    }
  }

  private void emit(Row out, WaitingRows from) {
    if (from.headTimestamped()) {
      outputRecord.replace(out, from.headTimestamp());
    } else {
      outputRecord.replace(out);
      outputRecord.eraseTimestamp();
    }
    output.collect(outputRecord);
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    if (runtime.isIdle()) {
      super.processWatermark(mark);
    } else {
      heldWatermark.hold(mark);
    }
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    runtime.finish();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void endInput() throws Exception {
    runtime.finish();
  }

  @Override
  public void finish() throws Exception {
    runtime.finish();
    super.finish();
  }

  @Override
  public void close() throws Exception {
    OperatorRuntime.close(runtime);
    runtime = null;
    super.close();
  }
}
