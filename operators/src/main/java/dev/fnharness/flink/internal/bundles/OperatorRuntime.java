package dev.fnharness.flink.internal.bundles;

import com.google.protobuf.ByteString;
import dev.fnharness.flink.PythonFunctionException;
import dev.fnharness.flink.internal.config.PythonConfig;
import dev.fnharness.flink.internal.plan.TransformPlan;
import dev.fnharness.flink.internal.worker.OperatorWorker;
import dev.fnharness.flink.internal.worker.WorkerSetup;
import java.util.function.Function;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateResponse;
import org.apache.flink.annotation.Internal;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;

/**
 * What every Python operator does with its worker, whatever its function kind, held by the operator
 * rather than inherited: it leases the worker and registers the plan ({@link OperatorWorker}), runs
 * the bundles ({@link BundleLifecycle}) with their output carried to the task thread ({@link
 * OutputBundle}) and an idle task thread woken when output arrives ({@link TaskThreadWakeUp}), and
 * gives the operator's {@code prepareSnapshotPreBarrier}, {@code endInput}, {@code finish} and
 * {@code close} their bodies: {@link #finish} and {@link #close}.
 *
 * <p>The operator keeps what is particular to its kind: what goes into a batch, and what the
 * results mean ({@link BundleLifecycle.Handler}). Per event it calls {@link #openOrDrain} before
 * adding it, {@link #send} for each full batch, and {@link #eventAdded} after. Task thread only.
 *
 * @param <B> what the operator keeps for one bundle
 */
@Internal
public final class OperatorRuntime<B> implements AutoCloseable {

  /** How an operator's bundles may overlap. */
  public enum Overlap {
    /**
     * Up to {@code python.fn-execution.bundles-in-flight} bundles: a full or timed-out bundle
     * closes without waiting, and the next one fills while the worker finishes it.
     */
    BUNDLES_IN_FLIGHT,
    /**
     * One bundle at a time, ended before the next event: a bundle's state writes and timers must be
     * applied before the next bundle reads state, and a watermark must see its timers.
     */
    ONE_AT_A_TIME
  }

  private final OperatorWorker worker;
  private final Overlap overlap;
  private final BundleLifecycle<B> bundles;

  private OperatorRuntime(
      AbstractStreamOperator<?> operator,
      OperatorWorker worker,
      BundleLifecycle.Handler<B> handler,
      Overlap overlap,
      Function<StateRequest, StateResponse> stateRequests) {
    this.worker = worker;
    this.overlap = overlap;
    // Results (or state requests) that arrive while the task thread idles are handled now, not
    // with the next event or when the bundle times out. Neither this nor the bundle.time timer
    // can run before the constructor has returned: both wait for a bundle to start.
    TaskThreadWakeUp wakeUp =
        new TaskThreadWakeUp(
            operator,
            this::drain,
            stateRequests == null ? "emit Python function results" : "serve Python state requests");
    PythonConfig options = worker.options();
    this.bundles =
        new BundleLifecycle<>(
            worker::startBundle,
            operator.getProcessingTimeService(),
            () -> new OutputBundle(worker::bundleFailed, stateRequests, wakeUp),
            handler,
            this::bundleDue,
            overlap == Overlap.BUNDLES_IN_FLIGHT ? options.bundlesInFlight() : 1,
            options.bundleSize(),
            options.bundleTimeMillis());
  }

  /**
   * Call from the operator's {@code open()}, on the task thread.
   *
   * @param stateRequests answers the worker's state requests on the task thread, or null for a kind
   *     without state
   */
  public static <B> OperatorRuntime<B> open(
      AbstractStreamOperator<?> operator,
      TransformPlan plan,
      WorkerSetup setup,
      BundleLifecycle.Handler<B> handler,
      Overlap overlap,
      Function<StateRequest, StateResponse> stateRequests)
      throws Exception {
    OperatorWorker worker = OperatorWorker.open(operator, plan, setup);
    try {
      return new OperatorRuntime<>(operator, worker, handler, overlap, stateRequests);
    } catch (RuntimeException | Error e) {
      worker.close();
      throw e;
    }
  }

  private void drain() throws Exception {
    bundles.drain();
  }

  /** The open bundle is full or its bundle.time has passed. */
  private void bundleDue() throws Exception {
    if (overlap == Overlap.BUNDLES_IN_FLIGHT) {
      bundles.close();
    } else {
      bundles.finish();
    }
  }

  /** Rows per batch ({@code python.fn-execution.batch.size}, at most a bundle). */
  public int batchSize() {
    return worker.options().batchSize();
  }

  /**
   * Call before adding an event: emits the results that have come back, and opens a bundle if none
   * is open.
   *
   * @return what the operator keeps for the open bundle
   */
  public B openOrDrain() throws Exception {
    return bundles.openOrDrain();
  }

  /** Sends one full batch of the open bundle. */
  public void send(ByteString batch) {
    bundles.send(batch);
  }

  /** Call after adding an event: a bundle that is now full closes (or, one at a time, ends). */
  public void eventAdded() throws Exception {
    if (bundles.fullAfterOneMoreEvent()) {
      bundleDue();
    }
  }

  /** Whether no bundle is in flight: every result has been emitted. */
  public boolean isIdle() {
    return bundles.isIdle();
  }

  /**
   * Sends what is left, and emits results until no bundle is in flight: the body of a checkpoint
   * barrier, the end of input and finish, none of which may leave rows in flight.
   */
  public void finish() throws Exception {
    bundles.finish();
  }

  /** What the task fails with when the worker broke the protocol, e.g. sent too many results. */
  public PythonFunctionException misbehaved(String what) {
    return worker.misbehaved(what);
  }

  public PythonFunctionException misbehaved(String what, Throwable cause) {
    return worker.misbehaved(what, cause);
  }

  /** Releases the worker. Never throws. */
  @Override
  public void close() {
    worker.close();
  }

  /** The body of an operator's {@code close()}: null-safe, as open may have failed. */
  public static void close(OperatorRuntime<?> runtime) {
    if (runtime != null) {
      runtime.close();
    }
  }
}
