package dev.fnharness.harness.control;

import dev.fnharness.harness.WorkerCrashedException;
import dev.fnharness.harness.rpc.ConnectionLossListener;
import dev.fnharness.harness.rpc.WorkerStream;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.InstructionRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.InstructionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's end of one worker's Control stream: sends instructions and hands back each answer as
 * a future, matched by instruction id.
 */
public final class ControlClient {

  private static final Logger LOG = LoggerFactory.getLogger(ControlClient.class);

  private final String workerId;
  private final WorkerStream<InstructionRequest> stream;
  private final Map<String, CompletableFuture<InstructionResponse>> pending =
      new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);

  public ControlClient(String workerId, ConnectionLossListener lossListener) {
    this.workerId = workerId;
    this.stream = WorkerStream.refusingUntilAttached(workerId, "control", lossListener);
  }

  /** Completes when the worker has opened its Control stream. */
  public CompletableFuture<Void> connected() {
    return stream.connected();
  }

  /** Ids are unique per worker; the kind makes worker logs readable. */
  public String newInstructionId(String kind) {
    return kind + "-" + nextId.getAndIncrement();
  }

  /**
   * Called by {@link ControlServer} when the worker connects.
   *
   * @return the observer of the worker's answers, or {@code null} if a stream is already attached
   */
  StreamObserver<InstructionResponse> attach(StreamObserver<InstructionRequest> requests) {
    return stream.attach(requests, this::onResponse);
  }

  /** Sends a request whose instruction id is already set. */
  public CompletableFuture<InstructionResponse> send(InstructionRequest request) {
    CompletableFuture<InstructionResponse> answer = new CompletableFuture<>();
    // Registered before the send so that no answer can beat it. failAll fails the stream before
    // it drains, so an answer registered too late for the drain is refused here instead: no
    // future is left that nobody completes. A LOST send stays pending for failAll's verdict.
    pending.put(request.getInstructionId(), answer);
    if (stream.send(request) == WorkerStream.Sent.REFUSED) {
      pending.remove(request.getInstructionId());
      WorkerCrashedException failure = stream.failure();
      answer.completeExceptionally(
          failure != null
              ? failure
              : new WorkerCrashedException(
                  "Control stream of worker '" + workerId + "' is not open"));
    }
    return answer;
  }

  /** Tells the worker to stop: per the contract it exits when its Control stream ends. */
  public void closeStream() {
    stream.complete();
  }

  /** Fails every unanswered instruction and every later one. The first failure is kept. */
  public void failAll(WorkerCrashedException cause) {
    stream.fail(cause);
    for (String instructionId : pending.keySet()) {
      CompletableFuture<InstructionResponse> unanswered = pending.remove(instructionId);
      if (unanswered != null) {
        unanswered.completeExceptionally(cause);
      }
    }
  }

  private void onResponse(InstructionResponse response) {
    CompletableFuture<InstructionResponse> answer = pending.remove(response.getInstructionId());
    if (answer == null) {
      LOG.warn(
          "Worker '{}' answered unknown instruction '{}'", workerId, response.getInstructionId());
      return;
    }
    answer.complete(response);
  }
}
