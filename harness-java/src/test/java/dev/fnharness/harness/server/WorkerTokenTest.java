package dev.fnharness.harness.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fnharness.harness.control.ControlClient;
import dev.fnharness.harness.data.DataChannel;
import dev.fnharness.harness.rpc.WorkerIdInterceptor;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.beam.model.fnexecution.v1.BeamFnControlGrpc;
import org.apache.beam.model.fnexecution.v1.BeamFnDataGrpc;
import org.apache.beam.model.fnexecution.v1.BeamFnLoggingGrpc;
import org.apache.beam.model.fnexecution.v1.BeamFnStateGrpc;
import org.apache.beam.model.fnexecution.v1.ProvisionApi.GetProvisionInfoRequest;
import org.apache.beam.model.fnexecution.v1.ProvisionApi.ProvisionInfo;
import org.apache.beam.model.fnexecution.v1.ProvisionServiceGrpc;
import org.apache.beam.model.jobmanagement.v1.ArtifactRetrievalServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A runner bound to all interfaces but dialled at 127.0.0.1, driven by a raw Java gRPC client: only
 * a call with its worker's token gets through, on every service.
 */
public class WorkerTokenTest {

  private final WorkerServices services =
      WorkerServices.start((id, entry) -> {}, RunnerAddress.of("0.0.0.0", "127.0.0.1"));
  private final ControlClient control = new ControlClient("a", (stream, cause) -> {});
  private final DataChannel data = new DataChannel("a", (stream, cause) -> {});
  private final ManagedChannel channel =
      NettyChannelBuilder.forTarget(services.endpoint()).usePlaintext().build();

  WorkerTokenTest() {
    services.connect(
        "a",
        ProvisionServer.provisionInfo("a", services.endpoint(), List.of(), "INFO"),
        control,
        data);
    services.connect(
        "b",
        ProvisionServer.provisionInfo("b", services.endpoint(), List.of(), "INFO"),
        new ControlClient("b", (stream, cause) -> {}),
        new DataChannel("b", (stream, cause) -> {}));
  }

  @AfterEach
  void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    services.close();
  }

  private static Metadata headers(String workerId, String token) {
    Metadata headers = new Metadata();
    if (workerId != null) {
      headers.put(WorkerIdInterceptor.HEADER, workerId);
    }
    if (token != null) {
      headers.put(WorkerTokenInterceptor.HEADER, token);
    }
    return headers;
  }

  private ProvisionInfo provision(String workerId, String token) {
    return ProvisionServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers(workerId, token)))
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .getProvisionInfo(GetProvisionInfoRequest.getDefaultInstance())
        .getInfo();
  }

  private static void assertUnauthenticated(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription()).contains("fnharness-worker-token");
            });
  }

  @Test
  void listensOnAllInterfacesAndIsDialledAtTheNamedHost() {
    assertThat(services.listenAddress().getAddress().isAnyLocalAddress()).isTrue();
    assertThat(services.endpoint()).isEqualTo("127.0.0.1:" + services.listenAddress().getPort());
    assertThat(provision("a", services.admit("a")).getControlEndpoint().getUrl())
        .isEqualTo(services.endpoint());
  }

  @Test
  void theWorkersOwnTokenGetsThroughAndNothingElseDoes() {
    String tokenA = services.admit("a");
    String tokenB = services.admit("b");
    assertThat(tokenA).hasSizeGreaterThanOrEqualTo(40).isNotEqualTo(tokenB);

    assertThat(
            provision("a", tokenA)
                .getPipelineOptions()
                .getFieldsOrThrow("log_level")
                .getStringValue())
        .isEqualTo("INFO");
    assertUnauthenticated(() -> provision("a", null));
    assertUnauthenticated(() -> provision("a", "wrong"));
    assertUnauthenticated(() -> provision("a", tokenA + "x"));
    assertUnauthenticated(() -> provision("a", tokenB));
    assertUnauthenticated(() -> provision(null, tokenA));
    assertUnauthenticated(() -> provision("nobody", tokenA));
  }

  @Test
  void aDisconnectedWorkersTokenNoLongerCounts() {
    String token = services.admit("a");
    services.disconnect("a");
    assertUnauthenticated(() -> provision("a", token));
  }

  @Test
  void aTokenIsIssuedOnlyWhenOtherMachinesCanReachTheServer() {
    try (WorkerServices loopback = WorkerServices.start((id, entry) -> {})) {
      assertThat(loopback.admit("a")).isNull();
    }
  }

  /** Every method a worker calls, refused at its headers whatever its kind. */
  @ParameterizedTest
  @ValueSource(
      strings = {"provision", "control", "data", "logging", "state", "resolve", "get-artifact"})
  void everyServiceRefusesACallWithoutTheToken(String service) throws Exception {
    services.admit("a");
    MethodDescriptor<?, ?> method =
        switch (service) {
          case "provision" -> ProvisionServiceGrpc.getGetProvisionInfoMethod();
          case "control" -> BeamFnControlGrpc.getControlMethod();
          case "data" -> BeamFnDataGrpc.getDataMethod();
          case "logging" -> BeamFnLoggingGrpc.getLoggingMethod();
          case "state" -> BeamFnStateGrpc.getStateMethod();
          case "resolve" -> ArtifactRetrievalServiceGrpc.getResolveArtifactsMethod();
          case "get-artifact" -> ArtifactRetrievalServiceGrpc.getGetArtifactMethod();
          default -> throw new IllegalArgumentException(service);
        };
    assertThat(closeStatus(method, headers("a", "wrong")).getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(closeStatus(method, headers("a", null)).getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(control.connected()).as("no stream reached the worker's channels").isNotDone();
    assertThat(data.connected()).isNotDone();
  }

  /** Opens a call as a stranger would and returns how the server ends it. */
  private <ReqT, RespT> Status closeStatus(MethodDescriptor<ReqT, RespT> method, Metadata headers)
      throws Exception {
    CompletableFuture<Status> closed = new CompletableFuture<>();
    ClientCall<ReqT, RespT> call = channel.newCall(method, CallOptions.DEFAULT);
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        headers);
    call.request(1);
    // One empty request: gRPC sends a unary call's headers only along with its message.
    call.sendMessage(method.parseRequest(new ByteArrayInputStream(new byte[0])));
    call.halfClose();
    return closed.get(5, TimeUnit.SECONDS);
  }
}
