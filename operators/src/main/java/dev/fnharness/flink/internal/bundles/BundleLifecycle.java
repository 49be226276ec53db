package dev.fnharness.flink.internal.bundles;

import com.google.protobuf.ByteString;
import dev.fnharness.harness.bundle.ActiveBundle;
import dev.fnharness.harness.bundle.BundleReceiver;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.util.function.ThrowingRunnable;

/**
 * The bundles a Python operator has in flight with its worker: at most one open bundle that takes
 * input, opened by the first event and due once it holds {@code python.fn-execution.bundle.size}
 * events or {@code python.fn-execution.bundle.time} has passed, and behind it the closed bundles
 * whose results are still coming back, oldest first.
 *
 * <p>Closing a bundle ({@link #close}) only tells the worker its input is complete: the next bundle
 * can open at once while the worker finishes the previous one, so the task thread does not sit idle
 * at every bundle end. Output is still handed to the operator strictly in bundle order: every chunk
 * of bundle N, then its end, before anything of bundle N+1. The worker runs the bundles of one
 * descriptor one after the other (docs/protocol.md), so it never mixes them either. At most {@code
 * maxInFlight} bundles, the open one included, are in flight; opening one more first waits for the
 * oldest to end, which bounds the rows held in memory. {@link #finish} closes the open bundle and
 * waits for every bundle to end: checkpoints and end of input rely on it.
 *
 * <p>What goes into a batch and what the results mean stay with the operator ({@link Handler}).
 * Task thread only: the bundle.time timer fires there too, and the worker's output reaches the
 * handler through {@link OutputBundle}, never on a gRPC thread.
 *
 * @param <B> what the operator keeps for one bundle, e.g. its rows waiting for results
 */
@Internal
public final class BundleLifecycle<B> {

  /** The operator's side of its bundles; every call comes on the task thread. */
  public interface Handler<B> {

    /** A bundle is opening: what the operator will keep for it. */
    B opened();

    /**
     * Sends the events gathered since the last batch of the open bundle, if any ({@link #send}).
     */
    void sendLastBatch();

    /** Turns one chunk of the bundle's output into records, timers and so on. */
    void emit(B bundle, ByteString chunk);

    /** The worker ended the bundle and every chunk of it has been emitted. */
    void ended(B bundle) throws Exception;
  }

  private static final class InFlight<B> {
    final B state;
    final ActiveBundle bundle;
    final OutputBundle output;

    /** Made once per bundle, not per drain: draining runs before every event. */
    final Consumer<ByteString> emitter;

    final long sequence;

    InFlight(B state, ActiveBundle bundle, OutputBundle output, Handler<B> handler, long sequence) {
      this.state = state;
      this.bundle = bundle;
      this.output = output;
      this.emitter = chunk -> handler.emit(state, chunk);
      this.sequence = sequence;
    }
  }

  private final Function<BundleReceiver, ActiveBundle> startBundle;
  private final ProcessingTimeService timeService;
  private final Supplier<OutputBundle> newOutput;
  private final Handler<B> handler;
  private final ThrowingRunnable<Exception> bundleTimePassed;
  private final int maxInFlight;
  private final int bundleSize;
  private final long bundleTimeMillis;

  /** The bundle that takes input, or null. */
  private InFlight<B> open;

  /** Bundles whose input is complete and whose output has not all been emitted, oldest first. */
  private final ArrayDeque<InFlight<B>> closed = new ArrayDeque<>();

  private int eventsInBundle;

  /** Tells a bundle.time timer whether the bundle it was set for is still the open one. */
  private long bundleSequence;

  /**
   * @param startBundle starts a bundle on the worker, its output going to the receiver
   * @param newOutput the receiver of one bundle's output, e.g. with the operator's state requests
   * @param bundleTimePassed what the operator does when bundle.time has passed since the open
   *     bundle's first event, e.g. {@link #close} it or {@link #finish} it
   * @param maxInFlight how many bundles may be in flight at once, the open one included; 1 makes
   *     every bundle end before the next opens
   * @param bundleSize events after which a bundle is due ({@code python.fn-execution.bundle.size})
   * @param bundleTimeMillis {@code python.fn-execution.bundle.time}
   */
  public BundleLifecycle(
      Function<BundleReceiver, ActiveBundle> startBundle,
      ProcessingTimeService timeService,
      Supplier<OutputBundle> newOutput,
      Handler<B> handler,
      ThrowingRunnable<Exception> bundleTimePassed,
      int maxInFlight,
      int bundleSize,
      long bundleTimeMillis) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
    }
    this.startBundle = startBundle;
    this.timeService = timeService;
    this.newOutput = newOutput;
    this.handler = handler;
    this.bundleTimePassed = bundleTimePassed;
    this.maxInFlight = maxInFlight;
    this.bundleSize = bundleSize;
    this.bundleTimeMillis = bundleTimeMillis;
  }

  /** Whether no bundle is in flight: every result has been emitted. */
  public boolean isIdle() {
    return open == null && closed.isEmpty();
  }

  /**
   * Call before adding an event: emits the results that have come back so far, so that they do not
   * pile up, and opens a bundle if none is open (first waiting for the oldest to end if {@code
   * maxInFlight} bundles are in flight).
   *
   * @return what the operator keeps for the open bundle
   */
  public B openOrDrain() throws Exception {
    drain();
    if (open == null) {
      while (closed.size() >= maxInFlight) {
        awaitOldest();
      }
      open();
    }
    return open.state;
  }

  /** Emits the results that have come back so far, in bundle order; never waits. */
  public void drain() throws Exception {
    InFlight<B> oldest;
    while ((oldest = closed.peek()) != null) {
      if (!drainOldest(oldest)) {
        return;
      }
    }
    if (open != null) {
      try {
        open.output.drainAvailable(open.emitter);
      } catch (RuntimeException e) {
        // Failed: no later call may send to it or wait on it.
        open = null;
        throw e;
      }
    }
  }

  /**
   * @return whether the oldest closed bundle has ended
   */
  private boolean drainOldest(InFlight<B> oldest) throws Exception {
    boolean ended;
    try {
      ended = oldest.output.drainAvailable(oldest.emitter);
    } catch (RuntimeException e) {
      closed.poll();
      throw e;
    }
    if (ended) {
      closed.poll();
      handler.ended(oldest.state);
    }
    return ended;
  }

  private void awaitOldest() throws Exception {
    InFlight<B> oldest = closed.peek();
    try {
      oldest.output.awaitEnd(oldest.emitter);
    } catch (RuntimeException | InterruptedException e) {
      // Failed: this bundle is over, no later call may wait on it again.
      closed.poll();
      throw e;
    }
    closed.poll();
    handler.ended(oldest.state);
  }

  private void open() {
    OutputBundle output = newOutput.get();
    B state = handler.opened();
    long sequence = ++bundleSequence;
    open = new InFlight<>(state, startBundle.apply(output), output, handler, sequence);
    eventsInBundle = 0;
    timeService.registerTimer(
        timeService.getCurrentProcessingTime() + bundleTimeMillis,
        time -> {
          if (open != null && open.sequence == sequence) {
            bundleTimePassed.run();
          }
        });
  }

  /** Sends one batch of the open bundle. */
  public void send(ByteString batch) {
    open.bundle.send(batch);
  }

  /** Counts the event just added; true once the bundle holds bundle.size events and is due. */
  public boolean fullAfterOneMoreEvent() {
    return ++eventsInBundle >= bundleSize;
  }

  /**
   * Sends the open bundle's last batch and tells the worker its input is complete, without waiting
   * for its results: they are emitted by later calls, in order.
   */
  public void close() {
    if (open == null) {
      return;
    }
    handler.sendLastBatch();
    InFlight<B> closing = open;
    open = null;
    closed.add(closing);
    closing.bundle.finishInput();
  }

  /**
   * Closes the open bundle and emits results until every bundle in flight has ended, so that
   * nothing is left in flight (a checkpoint relies on that).
   *
   * @return false if no bundle was in flight
   */
  public boolean finish() throws Exception {
    if (isIdle()) {
      return false;
    }
    close();
    while (!closed.isEmpty()) {
      awaitOldest();
    }
    return true;
  }
}
