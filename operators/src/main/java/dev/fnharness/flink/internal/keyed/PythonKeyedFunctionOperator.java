package dev.fnharness.flink.internal.keyed;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.internal.bundles.BundleLifecycle;
import dev.fnharness.flink.internal.bundles.OperatorRuntime;
import dev.fnharness.flink.internal.plan.KeyedFunctionPlan;
import dev.fnharness.flink.internal.state.StateKeyCodec;
import dev.fnharness.flink.internal.state.UserStateRequests;
import dev.fnharness.flink.internal.worker.WorkerSetup;
import org.apache.flink.annotation.Internal;
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
 *
 * <p>What the output batches mean is {@link KeyedResults}'; what every Python operator does with
 * its worker and its bundles, {@link OperatorRuntime}'s.
 */
@Internal
public final class PythonKeyedFunctionOperator extends AbstractStreamOperator<Row>
    implements OneInputStreamOperator<Row, Row>,
        Triggerable<Object, VoidNamespace>,
        BoundedOneInput {

  private static final long serialVersionUID = 1L;

  private final KeyedFunctionPlan plan;
  private final WorkerSetup setup;

  private transient OperatorRuntime<Void> runtime;
  // Read once: it is consulted for every event.
  private transient int batchSize;
  private transient KeyedInputBatch batch;
  private transient KeyedResults results;
  private transient UserStateRequests stateRequests;
  private transient long timersFired;

  public PythonKeyedFunctionOperator(KeyedFunctionPlan plan, WorkerSetup setup) {
    this.plan = plan;
    this.setup = setup;
  }

  @Override
  public void open() throws Exception {
    super.open();
    batch = new KeyedInputBatch(plan.keyType(), plan.inputTypes());
    InternalTimerService<VoidNamespace> timers =
        getInternalTimerService("python-timers", VoidNamespaceSerializer.INSTANCE, this);
    // open() runs on the task thread: it becomes the one thread that may serve state.
    stateRequests =
        new UserStateRequests(
            Thread.currentThread(),
            new OperatorKeyedState(),
            new StateKeyCodec(plan.keyType()),
            plan.stateTtl(),
            UserStateRequests.DEFAULT_CHUNK_BYTES,
            plan.describe());
    runtime =
        OperatorRuntime.open(
            this,
            plan,
            setup,
            new Bundles(),
            OperatorRuntime.Overlap.ONE_AT_A_TIME,
            stateRequests::handle);
    results = new KeyedResults(plan, output, timers, this, runtime);
    batchSize = runtime.batchSize();
  }

  @Override
  public void processElement(StreamRecord<Row> element) throws Exception {
    runtime.openOrDrain();
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
    runtime.openOrDrain();
    batch.addTimer(timer.getKey(), timer.getTimestamp(), true);
    afterEvent();
  }

  @Override
  public void onProcessingTime(InternalTimer<Object, VoidNamespace> timer) throws Exception {
    runtime.openOrDrain();
    batch.addTimer(timer.getKey(), timer.getTimestamp(), false);
    afterEvent();
  }

  private void afterEvent() throws Exception {
    if (batch.size() >= batchSize) {
      sendBatch();
    }
    runtime.eventAdded();
  }

  private void sendBatch() {
    ByteString data = batch.finish();
    results.sent(batch.sentEvents());
    runtime.send(data);
  }

  /** One bundle at a time: nothing to keep per bundle beyond the results' queue. */
  private final class Bundles implements BundleLifecycle.Handler<Void> {

    @Override
    public Void opened() {
      return null;
    }

    @Override
    public void sendLastBatch() {
      if (batch.size() > 0) {
        sendBatch();
      }
    }

    @Override
    public void emit(Void bundle, ByteString chunk) {
      results.accept(chunk);
    }

    @Override
    public void ended(Void bundle) {
      // Continuation tokens are valid until the bundle ends.
      stateRequests.bundleEnded();
      results.bundleEnded();
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    runtime.finish();
    if (timeServiceManager != null) {
      long before;
      do {
        before = timersFired;
        timeServiceManager.advanceWatermark(mark);
        runtime.finish();
      } while (timersFired != before);
    }
    output.emitWatermark(mark);
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
