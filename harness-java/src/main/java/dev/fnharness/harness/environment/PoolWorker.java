package dev.fnharness.harness.environment;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StopWorkerRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StopWorkerResponse;
import org.apache.beam.model.fnexecution.v1.BeamFnExternalWorkerPoolGrpc.BeamFnExternalWorkerPoolBlockingStub;

/**
 * A worker that an external pool runs. This JVM cannot see it exit or read its output: it learns
 * how the worker ended from the pool's answer to {@code StopWorker} (our pool reports a worker that
 * died with its exit code and last output).
 */
public final class PoolWorker implements LaunchedWorker {

  private static final long STOP_DEADLINE_MILLIS = 10_000;

  private final String workerId;
  private final String address;
  private final ManagedChannel channel;
  private final BeamFnExternalWorkerPoolBlockingStub pool;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private volatile String report;

  PoolWorker(
      String workerId,
      String address,
      ManagedChannel channel,
      BeamFnExternalWorkerPoolBlockingStub pool) {
    this.workerId = workerId;
    this.address = address;
    this.channel = channel;
    this.pool = pool;
  }

  @Override
  public String describe() {
    return "in the worker pool at " + address;
  }

  @Override
  public OptionalLong pid() {
    return OptionalLong.empty();
  }

  /** Never completes: the pool does not tell when its worker exits. */
  @Override
  public CompletableFuture<Void> onExit() {
    return new CompletableFuture<>();
  }

  @Override
  public boolean isAlive() {
    return !stopped.isDone();
  }

  @Override
  public String exitDescription() {
    return "a stop by the runner";
  }

  @Override
  public String outputTail() {
    String known = report;
    if (known != null && !known.isEmpty()) {
      return known.endsWith("\n") ? known : known + "\n";
    }
    return "(not known here: the worker's output goes to the log of the pool at " + address + ")\n";
  }

  /** The pool gives the worker its own grace period after the Control stream ends. */
  @Override
  public synchronized void stop(long graceMillis) {
    if (stopped.isDone()) {
      return;
    }
    try {
      StopWorkerResponse response =
          pool.withDeadlineAfter(graceMillis + STOP_DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
              .stopWorker(StopWorkerRequest.newBuilder().setWorkerId(workerId).build());
      report = response.getError();
    } catch (StatusRuntimeException e) {
      report = "(StopWorker at the pool " + address + " failed: " + e.getStatus() + ")";
    } finally {
      channel.shutdownNow();
      stopped.complete(null);
    }
  }

  @Override
  public void kill() {
    stop(0);
  }
}
