package dev.fnharness.harness.rpc;

import dev.fnharness.harness.WorkerCrashedException;
import dev.fnharness.harness.control.ControlClient;
import dev.fnharness.harness.data.DataChannel;
import dev.fnharness.harness.state.StateChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's outbound half of one of a worker's bidirectional streams, and how its inbound half
 * ends. {@link ControlClient}, {@link DataChannel} and {@link StateChannel} each own one and keep
 * only their protocol (matching answers, routing bundles) to themselves.
 *
 * <p>A send on a broken stream does not fail anything here: like a stream the worker ends, it is
 * reported to the {@link ConnectionLossListener}, whose verdict (with exit code and output, once
 * known) is what the owner fails its work with, through {@link #fail}.
 *
 * @param <T> what the runner sends
 */
public final class WorkerStream<T> {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerStream.class);

  /** What became of one {@link #send}. */
  public enum Sent {
    SENT,
    /** Held back until the worker opens the stream; see {@link #queueingUntilAttached}. */
    QUEUED,
    /** Not attached yet, completed or failed: the message went nowhere. */
    REFUSED,
    /** gRPC rejected it; the loss has been reported to the listener. */
    LOST
  }

  private final String workerId;
  private final String name;
  private final ConnectionLossListener lossListener;
  private final CompletableFuture<Void> connected = new CompletableFuture<>();

  // Guarded by this: gRPC's StreamObserver is not thread-safe and is sent on from many threads.
  private StreamObserver<T> outbound;
  private List<T> queuedUntilAttached;
  private boolean completed;
  private WorkerCrashedException failure;

  private WorkerStream(
      String workerId, String name, ConnectionLossListener lossListener, boolean queue) {
    this.workerId = workerId;
    this.name = name;
    this.lossListener = lossListener;
    this.queuedUntilAttached = queue ? new ArrayList<>() : null;
  }

  /** A stream that refuses what is sent before the worker opens it. */
  public static <T> WorkerStream<T> refusingUntilAttached(
      String workerId, String name, ConnectionLossListener lossListener) {
    return new WorkerStream<>(workerId, name, lossListener, false);
  }

  /**
   * A stream that holds what is sent before the worker opens it and sends it, in order, on attach:
   * for a stream the worker may open after the runner has started using it.
   */
  public static <T> WorkerStream<T> queueingUntilAttached(
      String workerId, String name, ConnectionLossListener lossListener) {
    return new WorkerStream<>(workerId, name, lossListener, true);
  }

  /** Completes when the worker has opened the stream, or fails with {@link #fail}'s cause. */
  public CompletableFuture<Void> connected() {
    return connected;
  }

  /**
   * Takes the worker's newly opened stream.
   *
   * @param inbound handles each message the worker sends; the end of the worker's half is reported
   *     to the loss listener
   * @return the observer to give gRPC for the worker's half, or {@code null} if a stream is already
   *     attached or this one has failed
   */
  public synchronized <I> StreamObserver<I> attach(
      StreamObserver<T> outbound, Consumer<I> inbound) {
    if (this.outbound != null || failure != null) {
      return null;
    }
    this.outbound = outbound;
    if (queuedUntilAttached != null) {
      for (T queued : queuedUntilAttached) {
        outbound.onNext(queued);
      }
      queuedUntilAttached = null;
    }
    connected.complete(null);
    return new Inbound<>(inbound);
  }

  /**
   * Sends {@code message} if the stream is open. Callers must not hold a lock: a loss is reported
   * from this thread, and the listener may fail every stream of the worker, taking their locks.
   */
  public Sent send(T message) {
    RuntimeException lost;
    synchronized (this) {
      if (failure != null || completed) {
        return Sent.REFUSED;
      }
      if (outbound == null) {
        if (queuedUntilAttached == null) {
          return Sent.REFUSED;
        }
        queuedUntilAttached.add(message);
        return Sent.QUEUED;
      }
      try {
        outbound.onNext(message);
        return Sent.SENT;
      } catch (RuntimeException e) {
        // gRPC cancelled the call (the worker went away) before the inbound half heard of it.
        lost = e;
      }
    }
    lossListener.onConnectionLost(name, lost);
    return Sent.LOST;
  }

  /** The cause the stream failed with, or {@code null}. */
  public synchronized WorkerCrashedException failure() {
    return failure;
  }

  /**
   * Refuses every later send and drops what waits for attach. The first cause is kept. The gRPC
   * call stays up until {@link #complete}, so the worker is not told to exit before it is stopped.
   */
  public void fail(WorkerCrashedException cause) {
    synchronized (this) {
      if (failure == null) {
        failure = cause;
      }
      queuedUntilAttached = null;
    }
    connected.completeExceptionally(cause);
  }

  /** Ends the runner's half; for Control this tells the worker to exit. */
  public synchronized void complete() {
    if (outbound != null && !completed) {
      completed = true;
      try {
        outbound.onCompleted();
      } catch (RuntimeException e) {
        LOG.debug("Completing the {} stream of worker '{}' failed", name, workerId, e);
      }
    }
  }

  private final class Inbound<I> implements StreamObserver<I> {

    private final Consumer<I> handler;

    Inbound(Consumer<I> handler) {
      this.handler = handler;
    }

    @Override
    public void onNext(I message) {
      handler.accept(message);
    }

    @Override
    public void onError(Throwable t) {
      lossListener.onConnectionLost(name, t);
    }

    @Override
    public void onCompleted() {
      lossListener.onConnectionLost(name, null);
      // The worker hung up; finish our half too so gRPC can release the call.
      complete();
    }
  }
}
