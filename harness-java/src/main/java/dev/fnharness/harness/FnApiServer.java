package dev.fnharness.harness;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One loopback gRPC server hosting the Fn API services a worker talks to. All services share the
 * one address the worker learns from Provision. Services are passed in, so a State service (or any
 * other) is one more entry in the list.
 */
final class FnApiServer implements AutoCloseable {

  /** Row batches travel as single messages; leave ample room above gRPC's 4 MiB default. */
  static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

  private final Server server;

  private FnApiServer(Server server) {
    this.server = server;
  }

  static FnApiServer start(List<BindableService> services) {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .maxInboundMetadataSize(64 * 1024);
    WorkerIdInterceptor workerIds = new WorkerIdInterceptor();
    for (BindableService service : services) {
      builder.addService(ServerInterceptors.intercept(service, workerIds));
    }
    try {
      return new FnApiServer(builder.build().start());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the Fn API gRPC server on loopback", e);
    }
  }

  /** {@code host:port} as the worker should dial it. */
  String endpoint() {
    InetSocketAddress address = (InetSocketAddress) server.getListenSockets().get(0);
    return address.getAddress().getHostAddress() + ":" + address.getPort();
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
