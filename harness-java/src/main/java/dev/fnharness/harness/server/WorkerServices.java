package dev.fnharness.harness.server;

import dev.fnharness.harness.artifact.ArtifactServer;
import dev.fnharness.harness.artifact.WorkerArtifacts;
import dev.fnharness.harness.control.ControlClient;
import dev.fnharness.harness.control.ControlServer;
import dev.fnharness.harness.data.DataChannel;
import dev.fnharness.harness.data.DataServer;
import dev.fnharness.harness.logging.LogEntrySink;
import dev.fnharness.harness.logging.LoggingServer;
import dev.fnharness.harness.state.StateChannel;
import dev.fnharness.harness.state.StateServer;
import io.grpc.BindableService;
import java.net.InetSocketAddress;
import java.util.List;
import org.apache.beam.model.fnexecution.v1.ProvisionApi.ProvisionInfo;

/**
 * The gRPC server and the Fn API services on it, which route every call by the caller's {@code
 * worker_id}. Today each worker gets its own instance; several workers can already share one by
 * calling {@link #connect} once per worker.
 */
public final class WorkerServices implements AutoCloseable {

  private final ProvisionServer provision = new ProvisionServer();
  private final ControlServer control = new ControlServer();
  private final DataServer data = new DataServer();
  private final StateServer state = new StateServer();
  private final ArtifactServer artifacts = new ArtifactServer();
  private final FnApiServer server;

  private WorkerServices(LogEntrySink logSink, RunnerAddress address) {
    List<BindableService> services =
        List.of(provision, control, data, new LoggingServer(logSink), state, artifacts);
    server = FnApiServer.start(services, address);
  }

  /** On loopback. */
  public static WorkerServices start(LogEntrySink logSink) {
    return new WorkerServices(logSink, RunnerAddress.loopback());
  }

  public static WorkerServices start(LogEntrySink logSink, RunnerAddress address) {
    return new WorkerServices(logSink, address);
  }

  /** {@code host:port} of every service, as the worker dials it. */
  public String endpoint() {
    return server.endpoint();
  }

  /** Where the server listens, e.g. the wildcard address; workers dial {@link #endpoint}. */
  InetSocketAddress listenAddress() {
    return server.listenAddress();
  }

  /** The token the worker must send on every call, or {@code null} on loopback. */
  public String admit(String workerId) {
    return server.admit(workerId);
  }

  /** Expects a worker that fetches no artifacts. */
  public void connect(
      String workerId, ProvisionInfo info, ControlClient controlClient, DataChannel channel) {
    connect(workerId, info, WorkerArtifacts.none(), controlClient, channel);
  }

  /**
   * Expects a worker: answers its Provision call, serves it its artifacts and routes its streams to
   * these channels.
   */
  public void connect(
      String workerId,
      ProvisionInfo info,
      WorkerArtifacts workerArtifacts,
      ControlClient controlClient,
      DataChannel channel) {
    provision.provide(workerId, info);
    artifacts.provide(workerId, workerArtifacts);
    control.expect(workerId, controlClient);
    data.expect(workerId, channel);
  }

  /** Routes the worker's State stream, opened when it first needs state, to {@code channel}. */
  public void connectState(String workerId, StateChannel channel) {
    state.expect(workerId, channel);
  }

  public void disconnect(String workerId) {
    server.forget(workerId);
    provision.forget(workerId);
    artifacts.forget(workerId);
    control.forget(workerId);
    data.forget(workerId);
    state.forget(workerId);
  }

  @Override
  public void close() {
    server.close();
  }
}
