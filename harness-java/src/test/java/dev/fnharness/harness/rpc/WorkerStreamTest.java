package dev.fnharness.harness.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fnharness.harness.WorkerCrashedException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link WorkerStream}: what a send does before, while and after the worker's stream is open. */
class WorkerStreamTest {

  private final List<String> losses = new CopyOnWriteArrayList<>();
  private final ConnectionLossListener listener =
      (stream, cause) ->
          losses.add(stream + ": " + (cause == null ? "completed" : cause.getMessage()));

  /** The runner's half of a gRPC stream as gRPC hands it over: records, or fails when told. */
  private static final class Outbound implements StreamObserver<String> {
    final List<String> sent = new ArrayList<>();
    boolean completed;
    RuntimeException failNext;

    @Override
    public void onNext(String value) {
      if (failNext != null) {
        throw failNext;
      }
      sent.add(value);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {
      completed = true;
    }
  }

  @Test
  void aRefusingStreamSendsNothingBeforeTheWorkerOpensIt() {
    WorkerStream<String> stream = WorkerStream.refusingUntilAttached("w", "control", listener);
    assertThat(stream.send("early")).isEqualTo(WorkerStream.Sent.REFUSED);
    assertThat(stream.connected()).isNotDone();

    Outbound outbound = new Outbound();
    assertThat(stream.<String>attach(outbound, message -> {})).isNotNull();
    assertThat(stream.connected()).isCompleted();
    assertThat(stream.send("a")).isEqualTo(WorkerStream.Sent.SENT);
    assertThat(outbound.sent).containsExactly("a");
  }

  @Test
  void aQueueingStreamSendsWhatWaitedInOrderOnAttach() {
    WorkerStream<String> stream = WorkerStream.queueingUntilAttached("w", "data", listener);
    assertThat(stream.send("1")).isEqualTo(WorkerStream.Sent.QUEUED);
    assertThat(stream.send("2")).isEqualTo(WorkerStream.Sent.QUEUED);

    Outbound outbound = new Outbound();
    stream.attach(outbound, message -> {});
    stream.send("3");

    assertThat(outbound.sent).containsExactly("1", "2", "3");
    assertThat(stream.<String>attach(new Outbound(), message -> {}))
        .as("a second stream of the same worker")
        .isNull();
  }

  @Test
  void aSendGrpcRejectsIsReportedAsALossNotThrown() {
    WorkerStream<String> stream = WorkerStream.refusingUntilAttached("w", "state", listener);
    Outbound outbound = new Outbound();
    stream.attach(outbound, message -> {});
    outbound.failNext = new IllegalStateException("call was cancelled");

    assertThat(stream.send("x")).isEqualTo(WorkerStream.Sent.LOST);
    assertThat(losses).containsExactly("state: call was cancelled");
  }

  @Test
  void aFailedStreamRefusesSendsKeepsTheFirstCauseAndFailsTheConnection() {
    WorkerStream<String> stream = WorkerStream.queueingUntilAttached("w", "data", listener);
    stream.send("dropped");
    WorkerCrashedException first = new WorkerCrashedException("exited with 1");

    stream.fail(first);
    stream.fail(new WorkerCrashedException("later"));

    assertThat(stream.failure()).isSameAs(first);
    assertThat(stream.connected()).isCompletedExceptionally();
    assertThat(stream.send("x")).isEqualTo(WorkerStream.Sent.REFUSED);
    Outbound outbound = new Outbound();
    assertThat(stream.<String>attach(outbound, message -> {})).isNull();
    assertThat(outbound.sent).isEmpty();
  }

  @Test
  void completingEndsTheRunnersHalfOnceAndRefusesLaterSends() {
    WorkerStream<String> stream = WorkerStream.refusingUntilAttached("w", "control", listener);
    Outbound outbound = new Outbound();
    stream.attach(outbound, message -> {});

    stream.complete();
    stream.complete();

    assertThat(outbound.completed).isTrue();
    assertThat(stream.send("x")).isEqualTo(WorkerStream.Sent.REFUSED);
  }

  @Test
  void theWorkersHalfReachesTheHandlerAndItsEndTheListener() {
    WorkerStream<String> stream = WorkerStream.refusingUntilAttached("w", "control", listener);
    Outbound outbound = new Outbound();
    List<String> received = new ArrayList<>();
    StreamObserver<String> inbound = stream.attach(outbound, received::add);

    inbound.onNext("answer");
    inbound.onError(new RuntimeException("UNAVAILABLE"));
    inbound.onCompleted();

    assertThat(received).containsExactly("answer");
    assertThat(losses).containsExactly("control: UNAVAILABLE", "control: completed");
    assertThat(outbound.completed).as("our half ends when the worker hangs up").isTrue();
  }
}
