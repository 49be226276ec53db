package dev.fnharness.harness.control;

import dev.fnharness.harness.rpc.WorkerStreamRouter;
import io.grpc.stub.StreamObserver;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.InstructionRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.InstructionResponse;
import org.apache.beam.model.fnexecution.v1.BeamFnControlGrpc;

/** Hands each worker's incoming Control stream to the {@link ControlClient} waiting for it. */
public final class ControlServer extends BeamFnControlGrpc.BeamFnControlImplBase {

  private final WorkerStreamRouter<ControlClient> clients = new WorkerStreamRouter<>("control");

  public void expect(String workerId, ControlClient client) {
    clients.expect(workerId, client);
  }

  public void forget(String workerId) {
    clients.forget(workerId);
  }

  @Override
  public StreamObserver<InstructionResponse> control(StreamObserver<InstructionRequest> requests) {
    return clients.route(requests, ControlClient::attach);
  }
}
