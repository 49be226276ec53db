package dev.fnharness.harness.data;

import dev.fnharness.harness.rpc.WorkerStreamRouter;
import io.grpc.stub.StreamObserver;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.Elements;
import org.apache.beam.model.fnexecution.v1.BeamFnDataGrpc;

/** Hands each worker's incoming Data stream to the {@link DataChannel} waiting for it. */
public final class DataServer extends BeamFnDataGrpc.BeamFnDataImplBase {

  private final WorkerStreamRouter<DataChannel> channels = new WorkerStreamRouter<>("data");

  public void expect(String workerId, DataChannel channel) {
    channels.expect(workerId, channel);
  }

  public void forget(String workerId) {
    channels.forget(workerId);
  }

  @Override
  public StreamObserver<Elements> data(StreamObserver<Elements> outbound) {
    return channels.route(outbound, DataChannel::attach);
  }
}
