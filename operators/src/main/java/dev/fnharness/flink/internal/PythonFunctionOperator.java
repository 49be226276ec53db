package dev.fnharness.flink.internal;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.PythonFunctionException;
import dev.fnharness.flink.codec.RowBatchDecoder;
import dev.fnharness.flink.codec.RowBatchEncoder;
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
 * <p>Rows are gathered into bundles. Each bundle is streamed to the worker in columnar batches
 * as it fills, and closes when it holds {@code python.fn-execution.bundle.size} rows, when {@code
 * python.fn-execution.bundle.time} has passed since its first row, before a checkpoint barrier,
 * and at the end of input. Closing waits for the bundle's last results, so a checkpoint never
 * misses rows in flight. A watermark that arrives while a bundle is open is held until that
 * bundle's rows are emitted.
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
  /** With object reuse on, Flink may hand us the same Row again: keep a copy while it waits. */
  private transient boolean copyInputRows;
  private transient OperatorWorker operatorWorker;
  private transient BundleLifecycle bundles;
  private transient RowBatchEncoder encoder;
  private transient RowBatchDecoder decoder;
  private transient ResultJoin join;
  /**
   * The kept fields of the rows sent to the worker whose results have not all come back yet,
   * oldest first. Only the kept fields, so that dropped columns are not held in memory.
   */
  private transient ArrayDeque<StreamRecord<Row>> awaitingResults;

  private transient Watermark heldWatermark;
  private transient StreamRecord<Row> outputRecord;
  private transient int[] keptPositions;

  public PythonFunctionOperator(FunctionPlan plan, PythonConfig jobOptions) {
    this(plan, jobOptions, ShippedPythonFiles.none());
  }

  /** @param shippedFiles the job's python.files in the distributed cache, if the job ships them */
  public PythonFunctionOperator(
      FunctionPlan plan, PythonConfig jobOptions, ShippedPythonFiles shippedFiles) {
    this.plan = plan;
    this.jobOptions = jobOptions;
    this.shippedFiles = shippedFiles;
  }

  @Override
  public void open() throws Exception {
    super.open();
    copyInputRows = getExecutionConfig().isObjectReuseEnabled();
    encoder = new RowBatchEncoder(plan.argumentSourcePositions(), plan.argumentTypes());
    decoder = new RowBatchDecoder(plan.outputBatchTypes());
    join = plan.newResultJoin();
    awaitingResults = new ArrayDeque<>();
    keptPositions = plan.keptPositions();
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
    bundles =
        new BundleLifecycle(
            operatorWorker,
            FunctionPlan.TRANSFORM_ID,
            getProcessingTimeService(),
            () -> new OutputBundle(operatorWorker::bundleFailed),
            this::sendLastBatch,
            this::emitResults,
            this::finishBundle);
  }

  @Override
  public void processElement(StreamRecord<Row> element) throws Exception {
    bundles.openOrDrain();
    Row row = element.getValue();
    // Encode first: a value that cannot go to Python fails here, before the row waits for results.
    encoder.add(row);
    Row kept = keptFields(row);
    awaitingResults.add(
        element.hasTimestamp()
            ? new StreamRecord<>(kept, element.getTimestamp())
            : new StreamRecord<>(kept));
    if (encoder.rowCount() >= batchSize) {
      bundles.send(encoder.finish());
    }
    if (bundles.fullAfterOneMoreEvent()) {
      finishBundle();
    }
  }

  private Row keptFields(Row row) {
    if (plan.keepsWholeInput()) {
      // the row itself waits, unless Flink may reuse it for the next record
      return copyInputRows ? Row.copy(row) : row;
    }
    int[] positions = keptPositions;
    Row kept = Row.withPositions(row.getKind(), positions.length);
    for (int i = 0; i < positions.length; i++) {
      kept.setField(i, row.getField(positions[i]));
    }
    return kept;
  }

  private void sendLastBatch() {
    if (encoder.rowCount() > 0) {
      bundles.send(encoder.finish());
    }
  }

  /** Sends what is left, waits for every result of the bundle, emits them, then the watermark. */
  private void finishBundle() throws Exception {
    if (bundles.finish()) {
      try {
        join.endBundle(awaitingResults);
      } catch (ResultJoin.MismatchException e) {
        throw mismatch(e);
      }
    }
    if (heldWatermark != null) {
      Watermark watermark = heldWatermark;
      heldWatermark = null;
      super.processWatermark(watermark);
    }
  }

  private void emitResults(ByteString chunk) {
    try {
      join.accept(decoder.decode(chunk), awaitingResults, this::emit);
    } catch (ResultJoin.MismatchException e) {
      throw mismatch(e);
    }
  }

  private void emit(Row out, StreamRecord<Row> input) {
    if (input.hasTimestamp()) {
      outputRecord.replace(out, input.getTimestamp());
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
    if (!bundles.isOpen()) {
      super.processWatermark(mark);
    } else {
      heldWatermark = mark;
    }
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    finishBundle();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void endInput() throws Exception {
    finishBundle();
  }

  @Override
  public void finish() throws Exception {
    finishBundle();
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
