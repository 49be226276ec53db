package dev.fnharness.flink.internal.keyed;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.PythonFunctionException;
import dev.fnharness.flink.codec.RowBatchDecoder;
import dev.fnharness.flink.codec.RowBatchDecoder.DecodedBatch;
import dev.fnharness.flink.internal.bundles.BundleLifecycle;
import dev.fnharness.flink.internal.bundles.OutputBundle;
import dev.fnharness.flink.internal.bundles.TaskThreadWakeUp;
import dev.fnharness.flink.internal.config.PythonConfig;
import dev.fnharness.flink.internal.keyed.KeyedInputBatch.SentEvents;
import dev.fnharness.flink.internal.plan.KeyedFunctionPlan;
import dev.fnharness.flink.internal.state.StateKeyCodec;
import dev.fnharness.flink.internal.state.UserStateRequests;
import dev.fnharness.flink.internal.worker.OperatorWorker;
import dev.fnharness.flink.internal.worker.ShippedPythonFiles;
import dev.fnharness.proto.KeyedAction;
import java.util.ArrayDeque;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Row;

/**
 * Calls a keyed Python function {@code f(ctx, row)} on every row of a keyed stream, and {@code
 * g(ctx, timestamp)} on every timer it registered; each call gives zero or more output rows.
 *
 * <p>Rows and fired timers travel to the worker in bundles of columnar batches, like the scalar
 * operator's (bundle size, bundle time, checkpoint barrier, end of input close a bundle). State
 * lives in Flink keyed state: the worker reads and writes it with Fn API state requests naming the
 * key, which {@link UserStateRequests} serves on the task thread (its comment has the thread rule).
 * Timers live in Flink's timer service; the worker asks for them in its output batches.
 *
 * <p>Watermarks: when one arrives, the open bundle is finished first (so every timer its rows asked
 * for is registered), then the timers it makes due fire, as many rounds as they keep registering
 * due timers, and only then does the watermark travel on: no output is late.
 */
public final class PythonKeyedFunctionOperator extends AbstractStreamOperator<Row>
    implements OneInputStreamOperator<Row, Row>,
        Triggerable<Object, VoidNamespace>,
        BoundedOneInput {

  private static final long serialVersionUID = 1L;

  private final KeyedFunctionPlan plan;
  private final PythonConfig jobOptions;

  private transient OperatorWorker operatorWorker;
  private transient BundleLifecycle<Void> bundles;
  // Read once: it is consulted for every event.
  private transient int batchSize;
  private transient KeyedInputBatch batch;
  private transient RowBatchDecoder decoder;

  /** Batches sent to the worker whose results have not come back yet, oldest first. */
  private transient ArrayDeque<SentEvents> awaitingResults;

  private transient InternalTimerService<VoidNamespace> timers;
  private transient UserStateRequests stateRequests;

  private transient long timersFired;
  private transient StreamRecord<Row> outputRecord;

  private final ShippedPythonFiles shippedFiles;

  /**
   * @param shippedFiles the job's python.files in the distributed cache, if the job ships them
   */
  public PythonKeyedFunctionOperator(
      KeyedFunctionPlan plan, PythonConfig jobOptions, ShippedPythonFiles shippedFiles) {
    this.plan = plan;
    this.jobOptions = jobOptions;
    this.shippedFiles = shippedFiles;
  }

  @Override
  public void open() throws Exception {
    super.open();
    batch = new KeyedInputBatch(plan.keyType(), plan.inputTypes());
    decoder = new RowBatchDecoder(plan.outputBatchTypes());
    awaitingResults = new ArrayDeque<>();
    outputRecord = new StreamRecord<>(null);
    timers = getInternalTimerService("python-timers", VoidNamespaceSerializer.INSTANCE, this);
    // open() runs on the task thread: it becomes the one thread that may serve state.
    stateRequests =
        new UserStateRequests(
            Thread.currentThread(),
            new OperatorKeyedState(),
            new StateKeyCodec(plan.keyType()),
            plan.stateTtl(),
            UserStateRequests.DEFAULT_CHUNK_BYTES,
            plan.describe());
    // A state request queued or a bundle ended while the task thread idles: serve it now, not
    // with the next row or when the bundle times out.
    TaskThreadWakeUp wakeUp =
        new TaskThreadWakeUp(this, () -> bundles.drain(), "serve Python state requests");

    // Unique among the operators that may share this worker.
    String descriptorId = "keyed-" + getOperatorID();
    operatorWorker =
        OperatorWorker.open(
            this,
            plan.reference(),
            plan.describe(),
            jobOptions,
            shippedFiles,
            plan.descriptor(descriptorId));
    batchSize = operatorWorker.options().batchSize();
    // One bundle at a time: a bundle's state writes and timers must be applied before the next
    // bundle's rows read state, and a watermark must see the timers its rows registered.
    bundles =
        new BundleLifecycle<>(
            operatorWorker,
            KeyedFunctionPlan.TRANSFORM_ID,
            getProcessingTimeService(),
            () -> new OutputBundle(operatorWorker::bundleFailed, stateRequests::handle, wakeUp),
            new BundleLifecycle.Handler<Void>() {
              @Override
              public Void opened() {
                return null;
              }

              @Override
              public void sendLastBatch() {
                PythonKeyedFunctionOperator.this.sendLastBatch();
              }

              @Override
              public void emit(Void bundle, ByteString chunk) {
                emitResults(chunk);
              }

              @Override
              public void ended(Void bundle) {}
            },
            this::finishBundle,
            1);
  }

  @Override
  public void processElement(StreamRecord<Row> element) throws Exception {
    beforeEvent();
    // The encoder copies the fields at once, so object reuse needs no defensive copy here.
    batch.addRow(
        getCurrentKey(),
        element.getValue(),
        element.hasTimestamp() ? element.getTimestamp() : null);
    afterEvent();
  }

  @Override
  public void onEventTime(InternalTimer<Object, VoidNamespace> timer) throws Exception {
    timersFired++;
    beforeEvent();
    batch.addTimer(timer.getKey(), timer.getTimestamp(), true);
    afterEvent();
  }

  @Override
  public void onProcessingTime(InternalTimer<Object, VoidNamespace> timer) throws Exception {
    beforeEvent();
    batch.addTimer(timer.getKey(), timer.getTimestamp(), false);
    afterEvent();
  }

  private void beforeEvent() throws Exception {
    bundles.openOrDrain();
  }

  private void afterEvent() throws Exception {
    if (batch.size() >= batchSize) {
      sendBatch();
    }
    if (bundles.fullAfterOneMoreEvent()) {
      finishBundle();
    }
  }

  private void sendBatch() {
    ByteString data = batch.finish();
    awaitingResults.add(batch.sentEvents());
    bundles.send(data);
  }

  private void sendLastBatch() {
    if (batch.size() > 0) {
      sendBatch();
    }
  }

  /** Sends what is left and waits for every result, state write and timer of the bundle. */
  private void finishBundle() throws Exception {
    if (bundles.isIdle()) {
      return;
    }
    try {
      bundles.finish();
    } finally {
      stateRequests.bundleEnded();
    }
    if (!awaitingResults.isEmpty()) {
      throw operatorWorker.misbehaved(
          "ended a bundle without results for " + awaitingResults.size() + " batches");
    }
  }

  private void emitResults(ByteString chunk) {
    DecodedBatch results = decoder.decode(chunk);
    SentEvents sent = awaitingResults.poll();
    if (sent == null) {
      throw operatorWorker.misbehaved("sent more batches than it got");
    }
    int fields = plan.outputType().getArity();
    for (int r = 0; r < results.rowCount(); r++) {
      Object source = results.value(0, r);
      if (!(source instanceof Integer event) || event < 0 || event >= sent.keys().length) {
        throw new PythonFunctionException(
            plan.describe()
                + ": worker sent output for event "
                + source
                + " of a batch of "
                + sent.keys().length);
      }
      int action = (Integer) results.value(1, r);
      if (action == KeyedAction.KEYED_ACTION_EMIT_VALUE) {
        Row out = new Row(fields);
        for (int f = 0; f < fields; f++) {
          out.setField(f, results.value(KeyedFunctionPlan.OUTPUT_HEADER_COLUMNS + f, r));
        }
        Long timestamp = sent.outputTimestamps()[event];
        if (timestamp != null) {
          outputRecord.replace(out, timestamp);
        } else {
          outputRecord.replace(out);
          outputRecord.eraseTimestamp();
        }
        output.collect(outputRecord);
      } else {
        applyTimer(sent.keys()[event], action, (Long) results.value(2, r));
      }
    }
  }

  private void applyTimer(Object key, int action, Long time) {
    if (time == null) {
      throw new PythonFunctionException(plan.describe() + ": worker sent a timer without a time");
    }
    Object previousKey = getCurrentKey();
    setCurrentKey(key);
    try {
      switch (action) {
        case KeyedAction.KEYED_ACTION_REGISTER_EVENT_TIME_TIMER_VALUE ->
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, time);
        case KeyedAction.KEYED_ACTION_REGISTER_PROCESSING_TIME_TIMER_VALUE ->
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, time);
        case KeyedAction.KEYED_ACTION_DELETE_EVENT_TIME_TIMER_VALUE ->
            timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, time);
        case KeyedAction.KEYED_ACTION_DELETE_PROCESSING_TIME_TIMER_VALUE ->
            timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, time);
        default ->
            throw new PythonFunctionException(
                plan.describe() + ": worker sent unknown output action " + action);
      }
    } finally {
      if (previousKey != null) {
        setCurrentKey(previousKey);
      }
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    finishBundle();
    if (timeServiceManager != null) {
      long before;
      do {
        before = timersFired;
        timeServiceManager.advanceWatermark(mark);
        finishBundle();
      } while (timersFired != before);
    }
    output.emitWatermark(mark);
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

  /** The seam {@link UserStateRequests} reaches Flink keyed state through. */
  private final class OperatorKeyedState implements UserStateRequests.KeyedStateAccess {

    @Override
    public Object currentKey() {
      return getCurrentKey();
    }

    @Override
    public void setCurrentKey(Object key) {
      PythonKeyedFunctionOperator.this.setCurrentKey(key);
    }

    @Override
    public <S extends State> S state(StateDescriptor<S, ?> descriptor) throws Exception {
      return getPartitionedState(descriptor);
    }
  }
}
