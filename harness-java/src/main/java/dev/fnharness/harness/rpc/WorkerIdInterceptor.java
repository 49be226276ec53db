package dev.fnharness.harness.rpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Reads the {@code worker_id} metadata header every worker sends and puts it into the gRPC {@link
 * Context}, so the services route each call to its worker without trusting message contents. A call
 * without the header is refused: with several workers on one server it could not be routed.
 */
public final class WorkerIdInterceptor implements ServerInterceptor {

  public static final Metadata.Key<String> HEADER =
      Metadata.Key.of("worker_id", Metadata.ASCII_STRING_MARSHALLER);

  static final Context.Key<String> WORKER_ID = Context.key("fnharness.worker_id");

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String workerId = headers.get(HEADER);
    if (workerId == null || workerId.isEmpty()) {
      call.close(
          Status.INVALID_ARGUMENT.withDescription("missing gRPC metadata header 'worker_id'"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(
        Context.current().withValue(WORKER_ID, workerId), call, headers, next);
  }

  /** The calling worker's id; only valid on a thread serving a call. */
  public static String currentWorkerId() {
    return WORKER_ID.get();
  }
}
