package dev.fnharness.flink.internal;

import com.google.protobuf.ByteString;
import dev.fnharness.harness.ActiveBundle;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.util.function.ThrowingRunnable;

/**
 * The bundle a Python operator has open with its worker, if any: opened by the first event,
 * due once it holds {@code python.fn-execution.bundle.size} events or {@code
 * python.fn-execution.bundle.time} has passed, and finished by sending the last batch and
 * emitting the worker's results until it ends the bundle. What goes into a batch and what the
 * results mean stay with the operator, which passes them in as callbacks.
 *
 * <p>Task thread only: the bundle.time timer fires there too, and the worker's output reaches
 * the callbacks through {@link OutputBundle}, never on a gRPC thread.
 */
final class BundleLifecycle {

  private final OperatorWorker worker;
  private final String transformId;
  private final ProcessingTimeService timeService;
  private final Supplier<OutputBundle> newOutput;
  private final Runnable sendLastBatch;
  private final Consumer<ByteString> emitResults;
  private final ThrowingRunnable<Exception> finishBundle;
  private final int bundleSize;
  private final long bundleTimeMillis;

  private ActiveBundle bundle;
  private OutputBundle output;
  private int eventsInBundle;
  /** Tells a bundle.time timer whether the bundle it was set for is still the open one. */
  private long bundleSequence;

  /**
   * @param newOutput the receiver of one bundle's output, e.g. with the operator's state
   *     requests
   * @param sendLastBatch sends the events gathered since the last batch, if any, with {@link
   *     #send}
   * @param emitResults turns one chunk of the worker's output into records, timers and so on
   * @param finishBundle what the operator does to finish a bundle, run when bundle.time passes:
   *     it calls {@link #finish} and then whatever the operator does after a bundle
   */
  BundleLifecycle(
      OperatorWorker worker,
      String transformId,
      ProcessingTimeService timeService,
      Supplier<OutputBundle> newOutput,
      Runnable sendLastBatch,
      Consumer<ByteString> emitResults,
      ThrowingRunnable<Exception> finishBundle) {
    this.worker = worker;
    this.transformId = transformId;
    this.timeService = timeService;
    this.newOutput = newOutput;
    this.sendLastBatch = sendLastBatch;
    this.emitResults = emitResults;
    this.finishBundle = finishBundle;
    // Read once: they are consulted for every event.
    this.bundleSize = worker.options().bundleSize();
    this.bundleTimeMillis = worker.options().bundleTimeMillis();
  }

  boolean isOpen() {
    return bundle != null;
  }

  /**
   * Call before adding an event: opens a bundle if none is open, else emits the results that
   * have come back so far, so that they do not pile up while the bundle fills.
   */
  void openOrDrain() {
    if (bundle == null) {
      open();
    } else {
      output.drainAvailable(emitResults);
    }
  }

  /** Emits the results that have come back so far, if a bundle is open. */
  void drainIfOpen() {
    if (output != null) {
      output.drainAvailable(emitResults);
    }
  }

  private void open() {
    output = newOutput.get();
    bundle = worker.startBundle(transformId, output);
    eventsInBundle = 0;
    long sequence = ++bundleSequence;
    timeService.registerTimer(
        timeService.getCurrentProcessingTime() + bundleTimeMillis,
        time -> {
          if (bundle != null && bundleSequence == sequence) {
            finishBundle.run();
          }
        });
  }

  /** Sends one batch of the open bundle. */
  void send(ByteString batch) {
    bundle.send(batch);
  }

  /** Counts the event just added; true once the bundle holds bundle.size events and is due. */
  boolean fullAfterOneMoreEvent() {
    return ++eventsInBundle >= bundleSize;
  }

  /**
   * Sends the last batch, tells the worker the input is complete and emits results until the
   * worker ends the bundle, so that nothing is left in flight (a checkpoint relies on that).
   *
   * @return false if no bundle was open
   */
  boolean finish() throws Exception {
    if (bundle == null) {
      return false;
    }
    sendLastBatch.run();
    bundle.finishInput();
    try {
      output.awaitEnd(emitResults);
    } finally {
      // Failed or not, this bundle is over: neither a timer nor a later finish may wait on it.
      bundle = null;
      output = null;
    }
    return true;
  }
}
