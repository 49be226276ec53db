package dev.fnharness.harness;

import io.grpc.BindableService;
import java.util.List;
import org.apache.beam.model.fnexecution.v1.ProvisionApi.ProvisionInfo;

/**
 * The gRPC server and the Fn API services on it, which route every call by the caller's {@code
 * worker_id}. Today each worker gets its own instance; several workers can already share one by
 * calling {@link #connect} once per worker.
 */
final class WorkerServices implements AutoCloseable {

  private final ProvisionServer provision = new ProvisionServer();
  private final ControlServer control = new ControlServer();
  private final DataServer data = new DataServer();
  private final StateServer state = new StateServer();
  private final FnApiServer server;

  private WorkerServices(LogEntrySink logSink) {
    List<BindableService> services =
        List.of(provision, control, data, new LoggingServer(logSink), state);
    server = FnApiServer.start(services);
  }

  static WorkerServices start(LogEntrySink logSink) {
    return new WorkerServices(logSink);
  }

  /** {@code host:port} of every service, as the worker dials it. */
  String endpoint() {
    return server.endpoint();
  }

  /** Expects a worker: answers its Provision call and routes its streams to these channels. */
  void connect(String workerId, ProvisionInfo info, ControlClient controlClient, DataChannel channel) {
    provision.provide(workerId, info);
    control.expect(workerId, controlClient);
    data.expect(workerId, channel);
  }

  /** Routes the worker's State stream, opened when it first needs state, to {@code channel}. */
  void connectState(String workerId, StateChannel channel) {
    state.expect(workerId, channel);
  }

  void disconnect(String workerId) {
    provision.forget(workerId);
    control.forget(workerId);
    data.forget(workerId);
    state.forget(workerId);
  }

  @Override
  public void close() {
    server.close();
  }
}
