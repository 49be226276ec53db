package dev.fnharness.harness;

import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.InstructionRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.InstructionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's end of one worker's Control stream: sends instructions and hands back each answer
 * as a future, matched by instruction id.
 */
final class ControlClient {

  private static final Logger LOG = LoggerFactory.getLogger(ControlClient.class);

  private final String workerId;
  private final ConnectionLossListener lossListener;
  private final CompletableFuture<Void> connected = new CompletableFuture<>();
  private final Map<String, CompletableFuture<InstructionResponse>> pending =
      new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);

  // Guarded by this: gRPC's StreamObserver is not thread-safe, and failAll must not race a send
  // that would otherwise add a future nobody ever completes.
  private StreamObserver<InstructionRequest> outbound;
  private WorkerCrashedException failure;
  private boolean outboundClosed;

  ControlClient(String workerId, ConnectionLossListener lossListener) {
    this.workerId = workerId;
    this.lossListener = lossListener;
  }

  /** Completes when the worker has opened its Control stream. */
  CompletableFuture<Void> connected() {
    return connected;
  }

  /** Ids are unique per worker; the kind makes worker logs readable. */
  String newInstructionId(String kind) {
    return kind + "-" + nextId.getAndIncrement();
  }

  /**
   * Called by {@link ControlServer} when the worker connects.
   *
   * @return the observer of the worker's answers, or {@code null} if a stream is already attached
   */
  synchronized StreamObserver<InstructionResponse> attach(
      StreamObserver<InstructionRequest> requests) {
    if (outbound != null || failure != null) {
      return null;
    }
    outbound = requests;
    connected.complete(null);
    return new Responses();
  }

  /** Sends a request whose instruction id is already set. */
  CompletableFuture<InstructionResponse> send(InstructionRequest request) {
    CompletableFuture<InstructionResponse> answer = new CompletableFuture<>();
    RuntimeException lost = null;
    synchronized (this) {
      if (failure != null) {
        answer.completeExceptionally(failure);
        return answer;
      }
      if (outbound == null || outboundClosed) {
        answer.completeExceptionally(
            new WorkerCrashedException("Control stream of worker '" + workerId + "' is not open"));
        return answer;
      }
      pending.put(request.getInstructionId(), answer);
      try {
        outbound.onNext(request);
      } catch (RuntimeException e) {
        // gRPC cancelled the call (the worker went away) before our observer heard of it. The
        // answer stays pending: the loss listener's verdict (with the exit code and output, once
        // known) fails it through failAll.
        lost = e;
      }
    }
    if (lost != null) {
      lossListener.onConnectionLost("control", lost);
    }
    return answer;
  }

  /** Tells the worker to stop: per the contract it exits when its Control stream ends. */
  synchronized void closeStream() {
    if (outbound != null && !outboundClosed) {
      outboundClosed = true;
      try {
        outbound.onCompleted();
      } catch (RuntimeException e) {
        LOG.debug("Completing the control stream of worker '{}' failed", workerId, e);
      }
    }
  }

  /** Fails every unanswered instruction and every later one. The first failure is kept. */
  void failAll(WorkerCrashedException cause) {
    List<CompletableFuture<InstructionResponse>> unanswered;
    synchronized (this) {
      if (failure == null) {
        failure = cause;
      }
      unanswered = new ArrayList<>(pending.values());
      pending.clear();
    }
    connected.completeExceptionally(cause);
    for (CompletableFuture<InstructionResponse> future : unanswered) {
      future.completeExceptionally(cause);
    }
  }

  private final class Responses implements StreamObserver<InstructionResponse> {

    @Override
    public void onNext(InstructionResponse response) {
      CompletableFuture<InstructionResponse> answer = pending.remove(response.getInstructionId());
      if (answer == null) {
        LOG.warn(
            "Worker '{}' answered unknown instruction '{}'", workerId, response.getInstructionId());
        return;
      }
      answer.complete(response);
    }

    @Override
    public void onError(Throwable t) {
      lossListener.onConnectionLost("control", t);
    }

    @Override
    public void onCompleted() {
      lossListener.onConnectionLost("control", null);
      // The worker hung up; finish our half too so gRPC can release the call.
      closeStream();
    }
  }
}
