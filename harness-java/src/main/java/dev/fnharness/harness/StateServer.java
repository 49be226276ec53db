package dev.fnharness.harness;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateResponse;
import org.apache.beam.model.fnexecution.v1.BeamFnStateGrpc;

/** Hands each worker's incoming State stream to the {@link StateChannel} waiting for it. */
final class StateServer extends BeamFnStateGrpc.BeamFnStateImplBase {

  private final Map<String, StateChannel> channels = new ConcurrentHashMap<>();

  void expect(String workerId, StateChannel channel) {
    channels.put(workerId, channel);
  }

  void forget(String workerId) {
    channels.remove(workerId);
  }

  @Override
  public StreamObserver<StateRequest> state(StreamObserver<StateResponse> responses) {
    String workerId = WorkerIdInterceptor.currentWorkerId();
    StateChannel channel = channels.get(workerId);
    StreamObserver<StateRequest> requests = channel == null ? null : channel.attach(responses);
    if (requests == null) {
      responses.onError(
          Status.FAILED_PRECONDITION
              .withDescription(
                  channel == null
                      ? "no worker '" + workerId + "' is expected by this runner"
                      : "worker '" + workerId + "' already has a state stream or was shut down")
              .asRuntimeException());
      return new IgnoringObserver<>();
    }
    return requests;
  }
}
