package dev.fnharness.harness.server;

import dev.fnharness.harness.rpc.WorkerIdInterceptor;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC server hosting the Fn API services a worker talks to. All services share the one address
 * the worker learns from Provision. Services are passed in, so a State service (or any other) is
 * one more entry in the list. On loopback (the default) the {@code worker_id} header routes calls;
 * on an address other machines reach, calls must also carry their worker's token.
 */
public final class FnApiServer implements AutoCloseable {

  /** Row batches travel as single messages; leave ample room above gRPC's 4 MiB default. */
  static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

  private final Server server;
  private final RunnerAddress address;

  /** {@code null} on loopback. */
  private final WorkerTokenInterceptor tokens;

  private FnApiServer(Server server, RunnerAddress address, WorkerTokenInterceptor tokens) {
    this.server = server;
    this.address = address;
    this.tokens = tokens;
  }

  static FnApiServer start(List<BindableService> services, RunnerAddress address) {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(address.bindAddress())
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .maxInboundMetadataSize(64 * 1024);
    WorkerIdInterceptor workerIds = new WorkerIdInterceptor();
    WorkerTokenInterceptor tokens = address.loopbackOnly() ? null : new WorkerTokenInterceptor();
    for (BindableService service : services) {
      // The last interceptor runs first: a caller without its token learns nothing more.
      builder.addService(
          tokens == null
              ? ServerInterceptors.intercept(service, workerIds)
              : ServerInterceptors.intercept(service, workerIds, tokens));
    }
    try {
      return new FnApiServer(builder.build().start(), address, tokens);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot start the Fn API gRPC server on " + address + ": " + e.getMessage(), e);
    }
  }

  /** {@code host:port} as the worker should dial it. */
  String endpoint() {
    return address.endpoint(listenAddress().getPort());
  }

  /** The address the server listens on, e.g. the wildcard address. */
  InetSocketAddress listenAddress() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  /**
   * Lets the worker in: returns the token it must send on every call, or {@code null} when this
   * server is on loopback and needs none.
   */
  String admit(String workerId) {
    return tokens == null ? null : tokens.issue(workerId);
  }

  void forget(String workerId) {
    if (tokens != null) {
      tokens.revoke(workerId);
    }
  }

  /** Stops at once: by now the worker is gone or told to go, so open streams are just cut. */
  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
