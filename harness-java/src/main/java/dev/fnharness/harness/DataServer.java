package dev.fnharness.harness;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.Elements;
import org.apache.beam.model.fnexecution.v1.BeamFnDataGrpc;

/** Hands each worker's incoming Data stream to the {@link DataChannel} waiting for it. */
final class DataServer extends BeamFnDataGrpc.BeamFnDataImplBase {

  private final Map<String, DataChannel> channels = new ConcurrentHashMap<>();

  void expect(String workerId, DataChannel channel) {
    channels.put(workerId, channel);
  }

  void forget(String workerId) {
    channels.remove(workerId);
  }

  @Override
  public StreamObserver<Elements> data(StreamObserver<Elements> outbound) {
    String workerId = WorkerIdInterceptor.currentWorkerId();
    DataChannel channel = channels.get(workerId);
    StreamObserver<Elements> inbound = channel == null ? null : channel.attach(outbound);
    if (inbound == null) {
      outbound.onError(
          Status.FAILED_PRECONDITION
              .withDescription(
                  channel == null
                      ? "no worker '" + workerId + "' is expected by this runner"
                      : "worker '" + workerId + "' already has a data stream or was shut down")
              .asRuntimeException());
      return new IgnoringObserver<>();
    }
    return inbound;
  }
}
