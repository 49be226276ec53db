package dev.fnharness.flink.internal;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.PythonFunctionException;
import dev.fnharness.flink.codec.RowBatchDecoder;
import dev.fnharness.flink.codec.RowBatchDecoder.DecodedBatch;
import dev.fnharness.flink.codec.RowBatchEncoder;
import dev.fnharness.harness.ActiveBundle;
import dev.fnharness.harness.PythonWorkerException;
import dev.fnharness.harness.RemoteWorker;
import java.util.ArrayDeque;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Row;

/**
 * Calls Python scalar functions on every row: {@code Row} in, the input's fields followed by one
 * result per function out, in input order.
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
public final class PythonScalarFunctionOperator extends AbstractStreamOperator<Row>
    implements OneInputStreamOperator<Row, Row>, BoundedOneInput {

  private static final long serialVersionUID = 1L;

  private final ScalarFunctionPlan plan;
  private final PythonConfig jobOptions;

  private transient PythonConfig options;
  private transient WorkerLease workerLease;
  private transient RemoteWorker worker;
  /** Unique among the operators that may share this worker. */
  private transient String descriptorId;
  private transient RowBatchEncoder encoder;
  private transient RowBatchDecoder decoder;
  /** Rows sent to the worker whose results have not come back yet, oldest first. */
  private transient ArrayDeque<StreamRecord<Row>> awaitingResults;

  private transient ActiveBundle bundle;
  private transient OutputBundle bundleOutput;
  private transient int rowsInBundle;
  private transient long bundleSequence;
  private transient Watermark heldWatermark;
  private transient StreamRecord<Row> outputRecord;

  public PythonScalarFunctionOperator(ScalarFunctionPlan plan, PythonConfig jobOptions) {
    this.plan = plan;
    this.jobOptions = jobOptions;
  }

  @Override
  public void open() throws Exception {
    super.open();
    options = jobOptions.withFallback(clusterAndJobConfiguration());
    encoder = new RowBatchEncoder(plan.argumentSourcePositions(), plan.argumentTypes());
    decoder = new RowBatchDecoder(plan.resultTypes());
    awaitingResults = new ArrayDeque<>();
    outputRecord = new StreamRecord<>(null);

    descriptorId = "scalar-" + getOperatorID();
    workerLease =
        WorkerLease.acquire(
            options, getContainingTask().getEnvironment().getMemoryManager(), this::workerId);
    worker = workerLease.worker();
    try {
      worker.register(plan.descriptor(descriptorId), options.startupTimeout());
    } catch (PythonWorkerException e) {
      throw new PythonFunctionException(
          plan.describe() + " could not be loaded by worker '" + worker.workerId() + "':\n"
              + e.getMessage(),
          e);
    }
  }

  private Configuration clusterAndJobConfiguration() {
    Configuration merged =
        new Configuration(
            getContainingTask().getEnvironment().getTaskManagerInfo().getConfiguration());
    merged.addAll(getRuntimeContext().getJobConfiguration());
    return merged;
  }

  /** E.g. {@code udfs.add_one-1-3f2a9c01}: the first function, the subtask, a unique suffix. */
  private String workerId() {
    String function = plan.functionReferences().get(0).replace(':', '.');
    function = function.replaceAll("[^A-Za-z0-9_.-]+", "_");
    if (function.length() > 40) {
      function = function.substring(0, 40);
    }
    return function
        + "-"
        + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask()
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  public void processElement(StreamRecord<Row> element) throws Exception {
    if (bundle == null) {
      startBundle();
    } else {
      bundleOutput.drainAvailable(this::emitResults);
    }
    Row row = element.getValue();
    if (getExecutionConfig().isObjectReuseEnabled()) {
      row = Row.copy(row);
    }
    awaitingResults.add(
        element.hasTimestamp()
            ? new StreamRecord<>(row, element.getTimestamp())
            : new StreamRecord<>(row));
    encoder.add(row);
    rowsInBundle++;
    if (encoder.rowCount() >= options.batchSize()) {
      bundle.send(encoder.finish());
    }
    if (rowsInBundle >= options.bundleSize()) {
      finishBundle();
    }
  }

  private void startBundle() {
    bundleOutput = new OutputBundle(this::describeFailure);
    bundle = worker.startBundle(descriptorId, ScalarFunctionPlan.TRANSFORM_ID, bundleOutput);
    rowsInBundle = 0;
    long sequence = ++bundleSequence;
    long deadline =
        getProcessingTimeService().getCurrentProcessingTime() + options.bundleTimeMillis();
    getProcessingTimeService()
        .registerTimer(
            deadline,
            time -> {
              if (bundle != null && bundleSequence == sequence) {
                finishBundle();
              }
            });
  }

  /** Sends what is left, waits for every result of the bundle, emits them, then the watermark. */
  private void finishBundle() throws Exception {
    if (bundle != null) {
      if (encoder.rowCount() > 0) {
        bundle.send(encoder.finish());
      }
      bundle.finishInput();
      bundleOutput.awaitEnd(this::emitResults);
      bundle = null;
      bundleOutput = null;
      if (!awaitingResults.isEmpty()) {
        throw new PythonFunctionException(
            plan.describe()
                + ": worker '"
                + worker.workerId()
                + "' ended a bundle without results for "
                + awaitingResults.size()
                + " rows");
      }
    }
    if (heldWatermark != null) {
      Watermark watermark = heldWatermark;
      heldWatermark = null;
      super.processWatermark(watermark);
    }
  }

  private void emitResults(ByteString chunk) {
    DecodedBatch results = decoder.decode(chunk);
    int inputArity = plan.inputArity();
    int functions = plan.resultTypes().size();
    for (int r = 0; r < results.rowCount(); r++) {
      StreamRecord<Row> input = awaitingResults.poll();
      if (input == null) {
        throw new PythonFunctionException(
            plan.describe() + ": worker '" + worker.workerId() + "' sent more results than rows");
      }
      Row in = input.getValue();
      Row out = Row.withPositions(in.getKind(), inputArity + functions);
      for (int i = 0; i < inputArity; i++) {
        out.setField(i, in.getField(i));
      }
      for (int f = 0; f < functions; f++) {
        out.setField(inputArity + f, results.value(f, r));
      }
      if (input.hasTimestamp()) {
        outputRecord.replace(out, input.getTimestamp());
      } else {
        outputRecord.replace(out);
        outputRecord.eraseTimestamp();
      }
      output.collect(outputRecord);
    }
  }

  private RuntimeException describeFailure(Throwable cause) {
    return new PythonFunctionException(
        plan.describe() + " failed in worker '" + worker.workerId() + "':\n" + cause.getMessage(),
        cause);
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    if (bundle == null) {
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
      if (workerLease != null) {
        workerLease.close();
      }
    } finally {
      workerLease = null;
      worker = null;
      super.close();
    }
  }
}
