package dev.fnharness.harness;

import io.grpc.stub.StreamObserver;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.Elements;
import org.apache.beam.model.fnexecution.v1.BeamFnDataGrpc;

/** Hands each worker's incoming Data stream to the {@link DataChannel} waiting for it. */
final class DataServer extends BeamFnDataGrpc.BeamFnDataImplBase {

  private final WorkerStreamRouter<DataChannel> channels = new WorkerStreamRouter<>("data");

  void expect(String workerId, DataChannel channel) {
    channels.expect(workerId, channel);
  }

  void forget(String workerId) {
    channels.forget(workerId);
  }

  @Override
  public StreamObserver<Elements> data(StreamObserver<Elements> outbound) {
    return channels.route(outbound, DataChannel::attach);
  }
}
