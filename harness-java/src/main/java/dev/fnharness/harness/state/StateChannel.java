package dev.fnharness.harness.state;

import dev.fnharness.harness.WorkerCrashedException;
import dev.fnharness.harness.bundle.BundleReceiver;
import dev.fnharness.harness.bundle.InFlightBundle;
import dev.fnharness.harness.data.DataChannel;
import dev.fnharness.harness.rpc.ConnectionLossListener;
import dev.fnharness.harness.rpc.WorkerStream;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's end of one worker's State stream: hands each request to the bundle it names (by
 * instruction id) and sends the answers back.
 *
 * <p>Threading: requests arrive on gRPC threads and only travel on from here, to {@link
 * BundleReceiver#onStateRequest}; whoever owns the state answers, on its own thread, through {@link
 * #respond}. This class never touches state itself.
 *
 * <p>The worker opens its State stream only when it first needs state, so there is nothing to wait
 * for at start-up.
 */
public final class StateChannel {

  private static final Logger LOG = LoggerFactory.getLogger(StateChannel.class);

  private final String workerId;
  private final WorkerStream<StateResponse> stream;
  private final Map<String, InFlightBundle> bundles = new ConcurrentHashMap<>();

  public StateChannel(String workerId, ConnectionLossListener lossListener) {
    this.workerId = workerId;
    this.stream = WorkerStream.refusingUntilAttached(workerId, "state", lossListener);
  }

  /**
   * Called by {@link StateServer} when the worker opens its State stream.
   *
   * @return the observer of the worker's requests, or {@code null} if a stream is already attached
   */
  StreamObserver<StateRequest> attach(StreamObserver<StateResponse> responses) {
    return stream.attach(responses, this::onRequest);
  }

  /** Starts routing state requests to {@code bundle}. */
  public void add(InFlightBundle bundle) {
    bundles.put(bundle.instructionId(), bundle);
  }

  public void remove(String instructionId) {
    bundles.remove(instructionId);
  }

  /** Sends one answer; dropped when the stream is gone (the worker is dying then anyway). */
  void respond(StateResponse response) {
    if (stream.send(response) == WorkerStream.Sent.REFUSED) {
      LOG.debug(
          "Dropping state response {} for worker '{}': stream closed", response.getId(), workerId);
    }
  }

  public void closeStream() {
    stream.complete();
  }

  /** Stops routing; bundles themselves are failed through {@link DataChannel#failAll}. */
  public void failAll(WorkerCrashedException cause) {
    stream.fail(cause);
    bundles.clear();
  }

  private void onRequest(StateRequest request) {
    InFlightBundle bundle = bundles.get(request.getInstructionId());
    if (bundle == null) {
      respond(
          StateResponse.newBuilder()
              .setId(request.getId())
              .setError(
                  "state request for unknown or finished bundle '"
                      + request.getInstructionId()
                      + "'")
              .build());
      return;
    }
    bundle.onStateRequest(request, this::respond);
  }
}
