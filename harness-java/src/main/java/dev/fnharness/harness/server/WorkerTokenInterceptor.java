package dev.fnharness.harness.server;

import dev.fnharness.harness.rpc.WorkerIdInterceptor;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a call only if it carries the token issued to the worker its {@code worker_id} header
 * names. A server that other machines can reach needs this: the {@code worker_id} alone is no
 * secret (it is logged), and whoever is admitted reads function payloads and shipped files and can
 * read or forge rows.
 */
public final class WorkerTokenInterceptor implements ServerInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerTokenInterceptor.class);

  static final Metadata.Key<String> HEADER =
      Metadata.Key.of("fnharness-worker-token", Metadata.ASCII_STRING_MARSHALLER);

  /** Refusals logged one by one; after these, one line per {@link #LOG_EVERY} keeps a flood out. */
  private static final long LOG_FIRST = 10;

  private static final long LOG_EVERY = 1000;
  private static final int TOKEN_BYTES = 32;

  private final SecureRandom random = new SecureRandom();
  private final Map<String, byte[]> tokens = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();

  /** A new random token for the worker, replacing any it had. */
  String issue(String workerId) {
    byte[] raw = new byte[TOKEN_BYTES];
    random.nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    tokens.put(workerId, token.getBytes(StandardCharsets.US_ASCII));
    return token;
  }

  void revoke(String workerId) {
    tokens.remove(workerId);
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String workerId = headers.get(WorkerIdInterceptor.HEADER);
    String sent = headers.get(HEADER);
    byte[] expected = workerId == null ? null : tokens.get(workerId);
    if (expected != null
        && sent != null
        && MessageDigest.isEqual(expected, sent.getBytes(StandardCharsets.US_ASCII))) {
      return next.startCall(call, headers);
    }
    logRefusal(
        call,
        workerId,
        expected == null ? "no such worker here" : sent == null ? "no token" : "wrong token");
    call.close(
        Status.UNAUTHENTICATED.withDescription(
            "missing or wrong '"
                + HEADER.name()
                + "' header: this runner is reachable beyond loopback and admits only the"
                + " workers it started, with the token it sent their pool in"
                + " StartWorkerRequest.params"),
        new Metadata());
    return new ServerCall.Listener<>() {};
  }

  private void logRefusal(ServerCall<?, ?> call, String workerId, String reason) {
    long count = refused.incrementAndGet();
    if (count > LOG_FIRST && count % LOG_EVERY != 0) {
      return;
    }
    LOG.warn(
        "Refused {} from {} claiming worker {}: {} (refusal {} of this server)",
        call.getMethodDescriptor().getFullMethodName(),
        call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
        workerId == null ? "(none)" : "'" + printable(workerId) + "'",
        reason,
        count);
  }

  /** The caller chose this text: no control characters into the log, and not too much of it. */
  private static String printable(String text) {
    String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return shown.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
