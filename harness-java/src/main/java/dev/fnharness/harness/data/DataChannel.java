package dev.fnharness.harness.data;

import com.google.protobuf.ByteString;
import dev.fnharness.harness.WorkerCrashedException;
import dev.fnharness.harness.bundle.InFlightBundle;
import dev.fnharness.harness.rpc.ConnectionLossListener;
import dev.fnharness.harness.rpc.WorkerStream;
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
 * The runner's end of one worker's Data stream: sends bundle input, routes output to the bundle it
 * belongs to by instruction id.
 *
 * <p>The worker opens Data just after Control, so a bundle may start before Data is connected;
 * input sent before then waits in a queue and goes out, in order, when the stream attaches.
 */
public final class DataChannel {

  private static final Logger LOG = LoggerFactory.getLogger(DataChannel.class);

  private final String workerId;
  private final WorkerStream<Elements> stream;
  // Added to and drained under this lock, with the stream's failure checked or set first, so
  // that a bundle added while failAll runs fails at once instead of waiting forever.
  private final Map<String, InFlightBundle> bundles = new ConcurrentHashMap<>();

  public DataChannel(String workerId, ConnectionLossListener lossListener) {
    this.workerId = workerId;
    this.stream = WorkerStream.queueingUntilAttached(workerId, "data", lossListener);
  }

  /** Completes when the worker has opened its Data stream. */
  public CompletableFuture<Void> connected() {
    return stream.connected();
  }

  /**
   * Called by {@link DataServer} when the worker connects.
   *
   * @return the observer of the worker's output, or {@code null} if a stream is already attached
   */
  StreamObserver<Elements> attach(StreamObserver<Elements> elements) {
    return stream.attach(elements, this::onOutput);
  }

  /**
   * Starts routing output for {@code bundle}. A bundle added after the worker failed fails at once.
   */
  public void add(InFlightBundle bundle) {
    WorkerCrashedException failed;
    synchronized (this) {
      failed = stream.failure();
      if (failed == null) {
        bundles.put(bundle.instructionId(), bundle);
      }
    }
    if (failed != null) {
      bundle.fail(failed);
    }
  }

  public void remove(String instructionId) {
    bundles.remove(instructionId);
  }

  public void send(String instructionId, String transformId, ByteString data) {
    sendElement(instructionId, transformId, data, false);
  }

  public void sendLast(String instructionId, String transformId) {
    sendElement(instructionId, transformId, ByteString.EMPTY, true);
  }

  private void sendElement(
      String instructionId, String transformId, ByteString data, boolean last) {
    Elements elements =
        Elements.newBuilder()
            .addData(
                Elements.Data.newBuilder()
                    .setInstructionId(instructionId)
                    .setTransformId(transformId)
                    .setData(data)
                    .setIsLast(last))
            .build();
    // Refused once the stream has failed or completed: the bundle already got (or is about to
    // get) its failure, and its input has nowhere to go.
    stream.send(elements);
  }

  public void closeStream() {
    stream.complete();
  }

  /** Fails every bundle in flight and every later one. The first failure is kept. */
  public void failAll(WorkerCrashedException cause) {
    stream.fail(cause);
    List<InFlightBundle> inFlight;
    synchronized (this) {
      inFlight = new ArrayList<>(bundles.values());
      bundles.clear();
    }
    for (InFlightBundle bundle : inFlight) {
      bundle.fail(cause);
    }
  }

  private void onOutput(Elements elements) {
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
}
