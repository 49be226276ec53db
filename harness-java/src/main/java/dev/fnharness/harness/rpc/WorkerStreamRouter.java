package dev.fnharness.harness.rpc;

import dev.fnharness.harness.control.ControlServer;
import dev.fnharness.harness.data.DataChannel;
import dev.fnharness.harness.data.DataServer;
import dev.fnharness.harness.state.StateServer;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Hands each worker's incoming stream of one kind to the channel that expects it, found by the
 * caller's worker id; what {@link ControlServer}, {@link DataServer} and {@link StateServer} share.
 *
 * @param <C> the channel, e.g. {@link DataChannel}
 */
public final class WorkerStreamRouter<C> {

  private final String stream;
  private final Map<String, C> channels = new ConcurrentHashMap<>();

  /**
   * @param stream which stream, e.g. {@code "data"}, for the refusal message
   */
  public WorkerStreamRouter(String stream) {
    this.stream = stream;
  }

  public void expect(String workerId, C channel) {
    channels.put(workerId, channel);
  }

  public void forget(String workerId) {
    channels.remove(workerId);
  }

  /**
   * Attaches the calling worker's stream to its channel, or refuses the call at once.
   *
   * @param attach the channel's attach: the observer of the worker's half, or {@code null} if the
   *     channel already has a stream or was shut down
   */
  public <I, O> StreamObserver<I> route(
      StreamObserver<O> outbound, BiFunction<C, StreamObserver<O>, StreamObserver<I>> attach) {
    String workerId = WorkerIdInterceptor.currentWorkerId();
    C channel = channels.get(workerId);
    StreamObserver<I> inbound = channel == null ? null : attach.apply(channel, outbound);
    if (inbound == null) {
      outbound.onError(
          Status.FAILED_PRECONDITION
              .withDescription(
                  channel == null
                      ? "no worker '" + workerId + "' is expected by this runner"
                      : "worker '"
                          + workerId
                          + "' already has a "
                          + stream
                          + " stream or was shut down")
              .asRuntimeException());
      return new IgnoringObserver<>();
    }
    return inbound;
  }
}
