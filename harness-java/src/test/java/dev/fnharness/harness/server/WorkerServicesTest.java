package dev.fnharness.harness.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fnharness.harness.WorkerCrashedException;
import dev.fnharness.harness.bundle.InFlightBundle;
import dev.fnharness.harness.control.ControlClient;
import dev.fnharness.harness.data.DataChannel;
import dev.fnharness.harness.rpc.WorkerIdInterceptor;
import dev.fnharness.harness.testing.RecordingReceiver;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.Elements;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.InstructionRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.InstructionResponse;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.LogEntry;
import org.apache.beam.model.fnexecution.v1.BeamFnControlGrpc;
import org.apache.beam.model.fnexecution.v1.BeamFnDataGrpc;
import org.apache.beam.model.fnexecution.v1.BeamFnLoggingGrpc;
import org.apache.beam.model.fnexecution.v1.ProvisionApi.GetProvisionInfoRequest;
import org.apache.beam.model.fnexecution.v1.ProvisionApi.ProvisionInfo;
import org.apache.beam.model.fnexecution.v1.ProvisionServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gRPC services with two workers on one server, driven by a Java gRPC client standing in for
 * the Python worker: every call must reach the worker named by its {@code worker_id} header.
 */
public class WorkerServicesTest {

  private final List<String> lostStreams = new CopyOnWriteArrayList<>();
  private final List<String> logs = new CopyOnWriteArrayList<>();
  private final WorkerServices services =
      WorkerServices.start((id, entry) -> logs.add(id + ":" + entry.getMessage()));
  private final ControlClient controlA =
      new ControlClient("a", (stream, cause) -> lostStreams.add("a:" + stream));
  private final ControlClient controlB =
      new ControlClient("b", (stream, cause) -> lostStreams.add("b:" + stream));
  private final DataChannel dataA = new DataChannel("a", (stream, cause) -> {});
  private final DataChannel dataB = new DataChannel("b", (stream, cause) -> {});
  private final ManagedChannel channel =
      NettyChannelBuilder.forTarget(services.endpoint()).usePlaintext().build();

  WorkerServicesTest() {
    services.connect("a", info("a"), controlA, dataA);
    services.connect("b", info("b"), controlB, dataB);
  }

  private ProvisionInfo info(String workerId) {
    return ProvisionServer.provisionInfo(
        workerId, services.endpoint(), List.of("/x/" + workerId + ".py"), "DEBUG");
  }

  @AfterEach
  void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    services.close();
  }

  private static io.grpc.ClientInterceptor as(String workerId) {
    Metadata headers = new Metadata();
    headers.put(WorkerIdInterceptor.HEADER, workerId);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  @Test
  void provisionAnswersEachWorkerWithItsOwnInfo() {
    ProvisionInfo b =
        ProvisionServiceGrpc.newBlockingStub(channel)
            .withInterceptors(as("b"))
            .getProvisionInfo(GetProvisionInfoRequest.getDefaultInstance())
            .getInfo();

    assertThat(b.getControlEndpoint().getUrl())
        .isEqualTo(services.endpoint())
        .startsWith("127.0.0.1:");
    assertThat(b.getLoggingEndpoint().getUrl()).isEqualTo(services.endpoint());
    assertThat(
            b.getPipelineOptions()
                .getFieldsOrThrow("python.files")
                .getListValue()
                .getValues(0)
                .getStringValue())
        .isEqualTo("/x/b.py");
    assertThat(b.getPipelineOptions().getFieldsOrThrow("log_level").getStringValue())
        .isEqualTo("DEBUG");
  }

  @Test
  void callsWithoutOrWithAnUnknownWorkerIdAreRefused() {
    var stub = ProvisionServiceGrpc.newBlockingStub(channel);
    assertThatThrownBy(() -> stub.getProvisionInfo(GetProvisionInfoRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThatThrownBy(
            () ->
                stub.withInterceptors(as("nobody"))
                    .getProvisionInfo(GetProvisionInfoRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void controlStreamsReachTheirOwnWorkerAndAnswersCompleteTheRightFuture() throws Exception {
    BlockingQueue<InstructionRequest> receivedByB = new LinkedBlockingQueue<>();
    CompletableFuture<StreamObserver<InstructionResponse>> answersFromB = new CompletableFuture<>();
    StreamObserver<InstructionResponse> answers =
        BeamFnControlGrpc.newStub(channel)
            .withInterceptors(as("b"))
            .control(new QueueingObserver<>(receivedByB));
    controlB.connected().get(5, TimeUnit.SECONDS);
    assertThat(controlA.connected()).isNotDone();

    String id = controlB.newInstructionId("register");
    CompletableFuture<InstructionResponse> answer =
        controlB.send(InstructionRequest.newBuilder().setInstructionId(id).build());
    assertThat(receivedByB.poll(5, TimeUnit.SECONDS).getInstructionId()).isEqualTo(id);
    answers.onNext(InstructionResponse.newBuilder().setInstructionId(id).setError("nope").build());
    assertThat(answer.get(5, TimeUnit.SECONDS).getError()).isEqualTo("nope");

    answers.onCompleted();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (lostStreams.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(lostStreams).containsExactly("b:control");
  }

  @Test
  void aSecondControlStreamForTheSameWorkerIsRefused() throws Exception {
    BeamFnControlGrpc.newStub(channel)
        .withInterceptors(as("a"))
        .control(new QueueingObserver<>(new LinkedBlockingQueue<>()));
    controlA.connected().get(5, TimeUnit.SECONDS);

    CompletableFuture<Throwable> refused = new CompletableFuture<>();
    BeamFnControlGrpc.newStub(channel)
        .withInterceptors(as("a"))
        .control(
            new QueueingObserver<>(new LinkedBlockingQueue<>()) {
              @Override
              public void onError(Throwable t) {
                refused.complete(t);
              }
            });
    assertThat(refused.get(5, TimeUnit.SECONDS))
        .hasMessageContaining("already has a control stream");
  }

  @Test
  void inputSentBeforeTheDataStreamConnectsIsDeliveredInOrderAndOutputIsRouted() throws Exception {
    RecordingReceiver receiver = new RecordingReceiver();
    InFlightBundle bundle =
        new InFlightBundle("bundle-1", receiver, () -> dataA.remove("bundle-1"));
    dataA.add(bundle);
    dataA.send("bundle-1", "fn", ByteString.copyFromUtf8("in-1"));
    dataA.sendLast("bundle-1", "fn");

    BlockingQueue<Elements> input = new LinkedBlockingQueue<>();
    StreamObserver<Elements> output =
        BeamFnDataGrpc.newStub(channel)
            .withInterceptors(as("a"))
            .data(new QueueingObserver<>(input));
    dataA.connected().get(5, TimeUnit.SECONDS);

    Elements.Data first = input.poll(5, TimeUnit.SECONDS).getData(0);
    Elements.Data last = input.poll(5, TimeUnit.SECONDS).getData(0);
    assertThat(first.getData().toStringUtf8()).isEqualTo("in-1");
    assertThat(first.getInstructionId()).isEqualTo("bundle-1");
    assertThat(first.getTransformId()).isEqualTo("fn");
    assertThat(last.getIsLast()).isTrue();

    output.onNext(
        Elements.newBuilder()
            .addData(
                Elements.Data.newBuilder()
                    .setInstructionId("bundle-1")
                    .setData(ByteString.copyFromUtf8("out")))
            .addData(Elements.Data.newBuilder().setInstructionId("bundle-1").setIsLast(true))
            .build());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (receiver.events.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(receiver.events).containsExactly("data:out");
    bundle.onResponse(
        org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleResponse.getDefaultInstance());
    assertThat(receiver.events).containsExactly("data:out", "completed");

    dataA.failAll(new WorkerCrashedException("gone"));
    RecordingReceiver late = new RecordingReceiver();
    dataA.add(new InFlightBundle("bundle-2", late, () -> {}));
    assertThat(late.awaitFailure(java.time.Duration.ofSeconds(1))).hasMessage("gone");
  }

  @Test
  void logRecordsAreTaggedWithTheSendersWorkerId() throws Exception {
    StreamObserver<LogEntry.List> logStream =
        BeamFnLoggingGrpc.newStub(channel)
            .withInterceptors(as("b"))
            .logging(new QueueingObserver<>(new LinkedBlockingQueue<>()));
    logStream.onNext(
        LogEntry.List.newBuilder().addLogEntries(LogEntry.newBuilder().setMessage("hi")).build());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (logs.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(logs).containsExactly("b:hi");
    logStream.onCompleted();
  }

  private static class QueueingObserver<T> implements StreamObserver<T> {
    private final BlockingQueue<T> queue;

    QueueingObserver(BlockingQueue<T> queue) {
      this.queue = queue;
    }

    @Override
    public void onNext(T value) {
      queue.add(value);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
