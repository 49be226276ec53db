package dev.fnharness.flink.internal.scalar;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.PythonFunctionException;
import dev.fnharness.flink.codec.RowBatchDecoder;
import dev.fnharness.flink.codec.RowBatchEncoder;
import dev.fnharness.flink.internal.bundles.BundleLifecycle;
import dev.fnharness.flink.internal.bundles.OutputBundle;
import dev.fnharness.flink.internal.bundles.TaskThreadWakeUp;
import dev.fnharness.flink.internal.config.PythonConfig;
import dev.fnharness.flink.internal.plan.FunctionPlan;
import dev.fnharness.flink.internal.worker.OperatorWorker;
import dev.fnharness.flink.internal.worker.ShippedPythonFiles;
import java.util.ArrayDeque;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Row;

/**
 * Calls Python functions on every row, as its {@link FunctionPlan} says: {@code Row} in, the kept
 * input fields followed by the results out, in input order. Scalar functions give one output row
 * per input row; a table function gives zero or more ({@link ResultJoin}).
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
 * everything else Flink owns are touched by the task thread alone.
 */
public final class PythonFunctionOperator extends AbstractStreamOperator<Row>
    implements OneInputStreamOperator<Row, Row>, BoundedOneInput {

  private static final long serialVersionUID = 1L;

  private final FunctionPlan plan;
  private final PythonConfig jobOptions;
  private final ShippedPythonFiles shippedFiles;

  // Read once: it is consulted for every row.
  private transient int batchSize;
  private transient OperatorWorker operatorWorker;
  private transient BundleLifecycle<WaitingRows> bundles;
  private transient RowBatchEncoder encoder;
  private transient RowBatchDecoder decoder;
  private transient ResultJoin join;
  private transient int[] keptPositions;

  /** Emptied rows of ended bundles, for the next bundles to reuse. */
  private transient ArrayDeque<WaitingRows> spareWaitingRows;

  private transient long bundlesOpened;
  private transient long bundlesEnded;

  private transient Watermark heldWatermark;

  /** The held watermark may pass once this many bundles have ended. */
  private transient long heldWatermarkAfterBundles;

  private transient StreamRecord<Row> outputRecord;

  public PythonFunctionOperator(FunctionPlan plan, PythonConfig jobOptions) {
    this(plan, jobOptions, ShippedPythonFiles.none());
  }

  /**
   * @param shippedFiles the job's python.files in the distributed cache, if the job ships them
   */
  public PythonFunctionOperator(
      FunctionPlan plan, PythonConfig jobOptions, ShippedPythonFiles shippedFiles) {
    this.plan = plan;
    this.jobOptions = jobOptions;
    this.shippedFiles = shippedFiles;
  }

  @Override
  public void open() throws Exception {
    super.open();
    encoder = new RowBatchEncoder(plan.argumentSourcePositions(), plan.argumentTypes());
    decoder = new RowBatchDecoder(plan.outputBatchTypes());
    join = plan.newResultJoin();
    keptPositions = plan.keptPositions();
    spareWaitingRows = new ArrayDeque<>();
    outputRecord = new StreamRecord<>(null);

    // Unique among the operators that may share this worker.
    String descriptorId = "functions-" + getOperatorID();
    operatorWorker =
        OperatorWorker.open(
            this,
            plan.functionReferences().get(0),
            plan.describe(),
            jobOptions,
            shippedFiles,
            plan.descriptor(descriptorId));
    batchSize = operatorWorker.options().batchSize();
    // Results of a bundle closed while no rows arrive still come out, without waiting for the
    // next row or checkpoint.
    TaskThreadWakeUp wakeUp =
        new TaskThreadWakeUp(this, () -> bundles.drain(), "emit Python function results");
    bundles =
        new BundleLifecycle<>(
            operatorWorker,
            FunctionPlan.TRANSFORM_ID,
            getProcessingTimeService(),
            () -> new OutputBundle(operatorWorker::bundleFailed, wakeUp),
            new Bundles(),
            () -> bundles.close(),
            operatorWorker.options().bundlesInFlight());
  }

  @Override
  public void processElement(StreamRecord<Row> element) throws Exception {
    WaitingRows waiting = bundles.openOrDrain();
    Row row = element.getValue();
    // Encode first: a value that cannot go to Python fails here, before the row waits for results.
    encoder.add(row);
    waiting.add(row, element);
    if (encoder.rowCount() >= batchSize) {
      bundles.send(encoder.finish());
    }
    if (bundles.fullAfterOneMoreEvent()) {
      bundles.close();
    }
  }

  /** What the operator does with its bundles: each has its own waiting rows. */
  private final class Bundles implements BundleLifecycle.Handler<WaitingRows> {

    @Override
    public WaitingRows opened() {
      bundlesOpened++;
      WaitingRows spare = spareWaitingRows.poll();
      return spare != null ? spare : new WaitingRows(keptPositions);
    }

    @Override
    public void sendLastBatch() {
      if (encoder.rowCount() > 0) {
        bundles.send(encoder.finish());
      }
    }

    @Override
    public void emit(WaitingRows waiting, ByteString chunk) {
      try {
        join.accept(decoder.decode(chunk), waiting, PythonFunctionOperator.this::emit);
      } catch (ResultJoin.MismatchException e) {
        throw mismatch(e);
      }
    }

    @Override
    public void ended(WaitingRows waiting) throws Exception {
      try {
        join.endBundle(waiting);
      } catch (ResultJoin.MismatchException e) {
        throw mismatch(e);
      }
      spareWaitingRows.add(waiting);
      bundlesEnded++;
      if (heldWatermark != null && bundlesEnded >= heldWatermarkAfterBundles) {
        Watermark watermark = heldWatermark;
        heldWatermark = null;
        PythonFunctionOperator.super.processWatermark(watermark);
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

  private PythonFunctionException mismatch(ResultJoin.MismatchException e) {
    return operatorWorker.misbehaved(e.getMessage(), e);
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    if (bundles.isIdle()) {
      super.processWatermark(mark);
    } else {
      // A later watermark replaces an earlier held one: it must wait for every bundle in flight.
      heldWatermark = mark;
      heldWatermarkAfterBundles = bundlesOpened;
    }
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    bundles.finish();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void endInput() throws Exception {
    bundles.finish();
  }

  @Override
  public void finish() throws Exception {
    bundles.finish();
    super.finish();
  }

  @Override
  public void close() throws Exception {
    try {
      if (operatorWorker != null) {
        operatorWorker.close();
      }
    } finally {
      operatorWorker = null;
      super.close();
    }
  }
}
