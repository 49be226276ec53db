package dev.fnharness.harness;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.InstructionRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.InstructionResponse;
import org.apache.beam.model.fnexecution.v1.BeamFnControlGrpc;

/** Hands each worker's incoming Control stream to the {@link ControlClient} waiting for it. */
final class ControlServer extends BeamFnControlGrpc.BeamFnControlImplBase {

  private final Map<String, ControlClient> clients = new ConcurrentHashMap<>();

  void expect(String workerId, ControlClient client) {
    clients.put(workerId, client);
  }

  void forget(String workerId) {
    clients.remove(workerId);
  }

  @Override
  public StreamObserver<InstructionResponse> control(
      StreamObserver<InstructionRequest> requests) {
    String workerId = WorkerIdInterceptor.currentWorkerId();
    ControlClient client = clients.get(workerId);
    StreamObserver<InstructionResponse> responses = client == null ? null : client.attach(requests);
    if (responses == null) {
      requests.onError(
          Status.FAILED_PRECONDITION
              .withDescription(
                  client == null
                      ? "no worker '" + workerId + "' is expected by this runner"
                      : "worker '" + workerId + "' already has a control stream or was shut down")
              .asRuntimeException());
      return new IgnoringObserver<>();
    }
    return responses;
  }
}
