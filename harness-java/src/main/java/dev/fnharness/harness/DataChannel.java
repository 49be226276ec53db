package dev.fnharness.harness;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.Elements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's end of one worker's Data stream: sends bundle input, routes output to the bundle
 * it belongs to by instruction id.
 *
 * <p>The worker opens Data just after Control, so a bundle may start before Data is connected;
 * input sent before then waits in a queue and goes out, in order, when the stream attaches.
 */
final class DataChannel {

  private static final Logger LOG = LoggerFactory.getLogger(DataChannel.class);

  private final String workerId;
  private final ConnectionLossListener lossListener;
  private final Map<String, InFlightBundle> bundles = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> connected = new CompletableFuture<>();

  // Guarded by this: gRPC's StreamObserver is not thread-safe.
  private StreamObserver<Elements> outbound;
  private List<Elements> queuedUntilAttached = new ArrayList<>();
  private WorkerCrashedException failure;
  private boolean outboundClosed;

  DataChannel(String workerId, ConnectionLossListener lossListener) {
    this.workerId = workerId;
    this.lossListener = lossListener;
  }

  /** Completes when the worker has opened its Data stream. */
  CompletableFuture<Void> connected() {
    return connected;
  }

  /**
   * Called by {@link DataServer} when the worker connects.
   *
   * @return the observer of the worker's output, or {@code null} if a stream is already attached
   */
  synchronized StreamObserver<Elements> attach(StreamObserver<Elements> elements) {
    if (outbound != null || failure != null) {
      return null;
    }
    outbound = elements;
    for (Elements queued : queuedUntilAttached) {
      outbound.onNext(queued);
    }
    queuedUntilAttached = null;
    connected.complete(null);
    return new Output();
  }

  /**
   * Starts routing output for {@code bundle}. A bundle added after the worker failed fails at once.
   */
  void add(InFlightBundle bundle) {
    WorkerCrashedException failed;
    synchronized (this) {
      failed = failure;
      if (failed == null) {
        bundles.put(bundle.instructionId(), bundle);
      }
    }
    if (failed != null) {
      bundle.fail(failed);
    }
  }

  void remove(String instructionId) {
    bundles.remove(instructionId);
  }

  void send(String instructionId, String transformId, ByteString data) {
    sendElement(instructionId, transformId, data, false);
  }

  void sendLast(String instructionId, String transformId) {
    sendElement(instructionId, transformId, ByteString.EMPTY, true);
  }

  private void sendElement(String instructionId, String transformId, ByteString data, boolean last) {
    Elements elements =
        Elements.newBuilder()
            .addData(
                Elements.Data.newBuilder()
                    .setInstructionId(instructionId)
                    .setTransformId(transformId)
                    .setData(data)
                    .setIsLast(last))
            .build();
    RuntimeException lost;
    synchronized (this) {
      if (failure != null || outboundClosed) {
        // The bundle already got (or is about to get) onFailed; input has nowhere to go.
        return;
      }
      if (outbound == null) {
        queuedUntilAttached.add(elements);
        return;
      }
      try {
        outbound.onNext(elements);
        return;
      } catch (RuntimeException e) {
        // gRPC cancelled the call (the worker went away) before our observer heard of it.
        lost = e;
      }
    }
    lossListener.onConnectionLost("data", lost);
  }

  synchronized void closeStream() {
    if (outbound != null && !outboundClosed) {
      outboundClosed = true;
      try {
        outbound.onCompleted();
      } catch (RuntimeException e) {
        LOG.debug("Completing the data stream of worker '{}' failed", workerId, e);
      }
    }
  }

  /** Fails every bundle in flight and every later one. The first failure is kept. */
  void failAll(WorkerCrashedException cause) {
    List<InFlightBundle> inFlight;
    synchronized (this) {
      if (failure == null) {
        failure = cause;
      }
      inFlight = new ArrayList<>(bundles.values());
      bundles.clear();
      queuedUntilAttached = null;
    }
    connected.completeExceptionally(cause);
    for (InFlightBundle bundle : inFlight) {
      bundle.fail(cause);
    }
  }

  private final class Output implements StreamObserver<Elements> {

    @Override
    public void onNext(Elements elements) {
      for (Elements.Data data : elements.getDataList()) {
        InFlightBundle bundle = bundles.get(data.getInstructionId());
        if (bundle == null) {
          LOG.debug(
              "Worker '{}' sent output for unknown or finished bundle '{}'",
              workerId,
              data.getInstructionId());
          continue;
        }
        if (!data.getData().isEmpty()) {
          bundle.onData(data.getData());
        }
        if (data.getIsLast()) {
          bundle.onLastOutput();
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      lossListener.onConnectionLost("data", t);
    }

    @Override
    public void onCompleted() {
      lossListener.onConnectionLost("data", null);
      closeStream();
    }
  }
}
