package dev.fnharness.harness;

import io.grpc.stub.StreamObserver;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StateResponse;
import org.apache.beam.model.fnexecution.v1.BeamFnStateGrpc;

/** Hands each worker's incoming State stream to the {@link StateChannel} waiting for it. */
final class StateServer extends BeamFnStateGrpc.BeamFnStateImplBase {

  private final WorkerStreamRouter<StateChannel> channels = new WorkerStreamRouter<>("state");

  void expect(String workerId, StateChannel channel) {
    channels.expect(workerId, channel);
  }

  void forget(String workerId) {
    channels.forget(workerId);
  }

  @Override
  public StreamObserver<StateRequest> state(StreamObserver<StateResponse> responses) {
    return channels.route(responses, StateChannel::attach);
  }
}
