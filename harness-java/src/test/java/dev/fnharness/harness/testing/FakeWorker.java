package dev.fnharness.harness.testing;

import com.google.protobuf.ByteString;
import dev.fnharness.harness.PythonWorkerException;
import dev.fnharness.harness.RemoteWorker;
import dev.fnharness.harness.WorkerCrashedException;
import dev.fnharness.harness.bundle.ActiveBundle;
import dev.fnharness.harness.bundle.BundleReceiver;
import dev.fnharness.harness.bundle.InFlightBundle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleDescriptor;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleResponse;

/**
 * A {@link RemoteWorker} written in Java, for fast tests of what sits above the worker interface
 * (bundle lifecycle, waiting rows, result joins, operators) with no Python, process or gRPC.
 *
 * <p>It keeps the worker's contract (docs/protocol.md): bundles of a descriptor run one after the
 * other, in the order they were started, each input batch is answered by its {@link Processor} (a
 * new one per bundle) as it arrives, and each bundle's output is complete, and its end reported,
 * before the next bundle's output begins. A processor that throws fails its bundle as a Python
 * error answer does ({@link PythonWorkerException} with the message), and the rest of that bundle's
 * input is dropped; {@link #crash} fails everything as a dying worker does. Callbacks go through
 * the harness's own {@link InFlightBundle}, so its terminal-callback rule holds too.
 *
 * <p>When its output reaches the receivers is the test's to choose. {@link Delivery#LIVE}: at once,
 * on a thread of the worker's (as gRPC threads would). {@link Delivery#HELD}: only when the test
 * calls {@link #release} (on the test's thread, so the order of events is exactly the test's), or
 * while the thread that started the bundles is parked, i.e. waits for output, as an operator does
 * at a checkpoint barrier or when too many bundles are in flight. {@link Delivery#MANUAL}: on
 * {@link #release} only.
 */
public final class FakeWorker implements RemoteWorker {

  /** What one bundle computes. A new one per bundle: it may keep the bundle's state. */
  public interface Processor {

    /** The output batches answering one input batch, in order; may be none. */
    List<ByteString> process(ByteString input) throws Exception;

    /** Output after the bundle's last input batch; none by default. */
    default List<ByteString> finish() throws Exception {
      return List.of();
    }
  }

  /** When output reaches the receivers. */
  public enum Delivery {
    /** At once, on the worker's thread. */
    LIVE,
    /** On {@link #release}, or while the bundles' thread waits for output. */
    HELD,
    /** On {@link #release} only: a worker that has gone quiet. */
    MANUAL
  }

  private final String workerId;
  private final Supplier<Processor> processors;
  private final List<ProcessBundleDescriptor> registered = new CopyOnWriteArrayList<>();

  // Guarded by this.
  private final ArrayDeque<Bundle> running = new ArrayDeque<>();

  /** Every bundle started and not yet known to have ended: what a crash fails. */
  private final List<Bundle> started = new ArrayList<>();

  private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
  private Delivery delivery;
  private String registrationError;
  private WorkerCrashedException crashed;
  private boolean closed;
  private int bundlesStarted;
  private Thread bundleThread;

  private final Thread deliveryThread;

  public FakeWorker(String workerId, Delivery delivery, Supplier<Processor> processors) {
    this.workerId = workerId;
    this.delivery = delivery;
    this.processors = processors;
    this.deliveryThread = new Thread(this::deliverInBackground, "fake-worker-" + workerId);
    deliveryThread.setDaemon(true);
    deliveryThread.start();
  }

  /** Refuses every later registration with {@code error}, as a worker that cannot import. */
  public synchronized FakeWorker refusingRegistration(String error) {
    registrationError = error;
    return this;
  }

  /** From now on, output reaches the receivers as {@code delivery} says. */
  public synchronized void deliver(Delivery delivery) {
    this.delivery = delivery;
    notifyAll();
  }

  /**
   * Delivers up to {@code events} held callbacks (each an {@code onData}, {@code onCompleted} or
   * {@code onFailed} of some bundle) on this thread, oldest first; returns how many.
   */
  public int release(int events) {
    int delivered = 0;
    while (delivered < events) {
      Runnable next;
      synchronized (this) {
        next = pending.poll();
      }
      if (next == null) {
        break;
      }
      next.run();
      delivered++;
    }
    return delivered;
  }

  /** Delivers every held callback on this thread. */
  public int releaseAll() {
    return release(Integer.MAX_VALUE);
  }

  /** Callbacks computed but not yet delivered. */
  public synchronized int held() {
    return pending.size();
  }

  /** Fails every bundle in flight, and every later call, as a worker that died. */
  public void crash(String how) {
    List<Bundle> failed;
    WorkerCrashedException crash =
        new WorkerCrashedException("Python worker '" + workerId + "' " + how);
    synchronized (this) {
      crashed = crash;
      failed = dropEverything();
    }
    for (Bundle bundle : failed) {
      bundle.inFlight.fail(crash);
    }
  }

  /** The descriptors registered so far, in order. */
  public List<ProcessBundleDescriptor> registered() {
    return List.copyOf(registered);
  }

  public synchronized int bundlesStarted() {
    return bundlesStarted;
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public String workerId() {
    return workerId;
  }

  @Override
  public void register(ProcessBundleDescriptor descriptor, Duration timeout) {
    synchronized (this) {
      checkUsable();
      if (registrationError != null) {
        throw new PythonWorkerException(registrationError);
      }
    }
    registered.add(descriptor);
  }

  @Override
  public synchronized ActiveBundle startBundle(
      String descriptorId, String transformId, BundleReceiver receiver) {
    checkUsable();
    if (bundleThread == null) {
      bundleThread = Thread.currentThread();
    }
    String instructionId = "fake-bundle-" + ++bundlesStarted;
    Bundle bundle =
        new Bundle(new InFlightBundle(instructionId, receiver, () -> {}), processors.get());
    running.add(bundle);
    started.removeIf(b -> b.inFlight.isTerminated());
    started.add(bundle);
    return bundle;
  }

  private void checkUsable() {
    if (closed) {
      throw new IllegalStateException("Python worker '" + workerId + "' is closed");
    }
    if (crashed != null) {
      throw new WorkerCrashedException(crashed.getMessage(), crashed);
    }
  }

  /** Runs the oldest bundles as far as their input goes, queueing their callbacks. */
  private synchronized void process() {
    Bundle oldest;
    while ((oldest = running.peek()) != null && oldest.advance()) {
      running.poll();
    }
    notifyAll();
  }

  private synchronized void enqueue(Runnable callback) {
    pending.add(callback);
  }

  private void deliverInBackground() {
    while (true) {
      Runnable next;
      synchronized (this) {
        while (!closed && !deliverableNow()) {
          try {
            wait(1);
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        next = pending.poll();
      }
      next.run();
    }
  }

  /** Caller holds the lock. */
  private boolean deliverableNow() {
    if (pending.isEmpty()) {
      return false;
    }
    if (delivery != Delivery.HELD) {
      return delivery == Delivery.LIVE;
    }
    Thread waiting = bundleThread;
    Thread.State state = waiting == null ? Thread.State.RUNNABLE : waiting.getState();
    return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
  }

  /** Forgets all work; returns the bundles to fail. Caller holds the lock. */
  private List<Bundle> dropEverything() {
    pending.clear();
    running.clear();
    List<Bundle> unfinished = new ArrayList<>(started);
    started.clear();
    return unfinished;
  }

  /** Fails what is in flight and stops the delivery thread. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      notifyAll();
    }
    List<Bundle> failed;
    synchronized (this) {
      failed = dropEverything();
    }
    WorkerCrashedException closedCause =
        new WorkerCrashedException("Python worker '" + workerId + "' was closed");
    for (Bundle bundle : failed) {
      bundle.inFlight.fail(closedCause);
    }
  }

  /** One bundle: its input so far, and how far the worker has come with it. */
  private final class Bundle implements ActiveBundle {

    final InFlightBundle inFlight;
    final Processor processor;

    // Guarded by FakeWorker.this.
    final ArrayDeque<ByteString> input = new ArrayDeque<>();
    boolean inputEnded;
    boolean failed;

    Bundle(InFlightBundle inFlight, Processor processor) {
      this.inFlight = inFlight;
      this.processor = processor;
    }

    @Override
    public String instructionId() {
      return inFlight.instructionId();
    }

    @Override
    public void send(ByteString data) {
      synchronized (FakeWorker.this) {
        if (!failed && !inFlight.isTerminated()) {
          input.add(data);
        }
      }
      process();
    }

    @Override
    public void finishInput() {
      synchronized (FakeWorker.this) {
        inputEnded = true;
      }
      process();
    }

    /**
     * Answers the input that has arrived. Caller holds the worker's lock.
     *
     * @return whether the bundle is done, so that the next one may run
     */
    boolean advance() {
      if (failed) {
        return true;
      }
      try {
        ByteString next;
        while ((next = input.poll()) != null) {
          for (ByteString out : processor.process(next)) {
            enqueue(() -> inFlight.onData(out));
          }
        }
        if (!inputEnded) {
          return false;
        }
        for (ByteString out : processor.finish()) {
          enqueue(() -> inFlight.onData(out));
        }
      } catch (Exception e) {
        failed = true;
        input.clear();
        PythonWorkerException error = new PythonWorkerException(e.getMessage());
        enqueue(() -> inFlight.fail(error));
        return true;
      }
      // The output's is_last and the ProcessBundleResponse: one onCompleted for the receiver.
      enqueue(
          () -> {
            inFlight.onLastOutput();
            inFlight.onResponse(ProcessBundleResponse.getDefaultInstance());
          });
      return true;
    }
  }
}
