package dev.fnharness.harness.state;

import dev.fnharness.harness.rpc.WorkerStreamRouter;
import io.grpc.stub.StreamObserver;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateResponse;
import org.apache.beam.model.fnexecution.v1.BeamFnStateGrpc;

/** Hands each worker's incoming State stream to the {@link StateChannel} waiting for it. */
public final class StateServer extends BeamFnStateGrpc.BeamFnStateImplBase {

  private final WorkerStreamRouter<StateChannel> channels = new WorkerStreamRouter<>("state");

  public void expect(String workerId, StateChannel channel) {
    channels.expect(workerId, channel);
  }

  public void forget(String workerId) {
    channels.forget(workerId);
  }

  @Override
  public StreamObserver<StateRequest> state(StreamObserver<StateResponse> responses) {
    return channels.route(responses, StateChannel::attach);
  }
}
