package dev.fnharness.harness.bundle;

import com.google.protobuf.ByteString;
import java.util.function.Consumer;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleResponse;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output side of one bundle: forwards data to its {@link BundleReceiver} and calls exactly one
 * terminal callback. Success needs two events that travel on different streams (the output's {@code
 * is_last} on Data, the {@code ProcessBundleResponse} on Control), so their order is open.
 *
 * <p>Callbacks run under this object's lock: output data and a failure can arrive on two gRPC
 * threads at once, and the receiver must never see data after (or during) its terminal call.
 */
public final class InFlightBundle {

  private static final Logger LOG = LoggerFactory.getLogger(InFlightBundle.class);

  private final String instructionId;
  private final BundleReceiver receiver;
  private final Runnable onTerminated;

  private boolean lastOutputSeen;
  private ProcessBundleResponse response;
  private boolean terminated;

  /**
   * @param onTerminated run once after the terminal callback, e.g. to stop routing to this bundle
   */
  public InFlightBundle(String instructionId, BundleReceiver receiver, Runnable onTerminated) {
    this.instructionId = instructionId;
    this.receiver = receiver;
    this.onTerminated = onTerminated;
  }

  public String instructionId() {
    return instructionId;
  }

  public synchronized void onData(ByteString data) {
    if (terminated || lastOutputSeen) {
      LOG.debug("Dropping output of finished bundle {}", instructionId);
      return;
    }
    try {
      receiver.onData(data);
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  public synchronized void onLastOutput() {
    lastOutputSeen = true;
    completeIfDone();
  }

  public synchronized void onResponse(ProcessBundleResponse bundleResponse) {
    response = bundleResponse;
    completeIfDone();
  }

  /** Ends the bundle with {@code cause} unless it already ended. */
  public void fail(Throwable cause) {
    synchronized (this) {
      if (terminated) {
        return;
      }
      terminated = true;
      try {
        receiver.onFailed(cause);
      } catch (RuntimeException e) {
        LOG.warn("BundleReceiver.onFailed of bundle {} threw", instructionId, e);
      }
    }
    onTerminated.run();
  }

  /** A state request of this bundle; refused once the bundle has ended. */
  public synchronized void onStateRequest(StateRequest request, Consumer<StateResponse> reply) {
    if (terminated) {
      reply.accept(
          StateResponse.newBuilder()
              .setId(request.getId())
              .setError("bundle " + instructionId + " has already ended")
              .build());
      return;
    }
    try {
      receiver.onStateRequest(request, reply);
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  public synchronized boolean isTerminated() {
    return terminated;
  }

  private void completeIfDone() {
    if (terminated || !lastOutputSeen || response == null) {
      return;
    }
    terminated = true;
    try {
      receiver.onCompleted(response);
    } catch (RuntimeException e) {
      LOG.warn("BundleReceiver.onCompleted of bundle {} threw", instructionId, e);
    }
    onTerminated.run();
  }
}
