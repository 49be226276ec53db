package dev.fnharness.harness.environment;

import dev.fnharness.harness.WorkerNames;
import dev.fnharness.harness.WorkerSpec;
import dev.fnharness.harness.WorkerStartupException;
import dev.fnharness.harness.WorkerSummary;
import dev.fnharness.harness.server.RunnerAddress;
import dev.fnharness.harness.server.RunnerEndpoint;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StartWorkerRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.StartWorkerResponse;
import org.apache.beam.model.fnexecution.v1.BeamFnExternalWorkerPoolGrpc;
import org.apache.beam.model.fnexecution.v1.BeamFnExternalWorkerPoolGrpc.BeamFnExternalWorkerPoolBlockingStub;
import org.apache.beam.model.pipeline.v1.Endpoints.ApiServiceDescriptor;

/**
 * External mode: a worker pool that someone else runs ({@code fnharness-worker-pool}) starts each
 * worker on {@code StartWorker} and ends it on {@code StopWorker}. Our pool answers {@code
 * StartWorker} only once the worker has connected or died, with its output in the error, so a
 * failed start is reported at once.
 *
 * <p>By default the runner's server is on loopback, so the pool must run on this machine (or in a
 * container with host networking). With a {@link RunnerAddress} other machines reach, the pool may
 * run elsewhere: each worker's token then travels to the pool in {@code StartWorkerRequest.params}
 * under {@link #WORKER_TOKEN_PARAM}, and the worker sends it on every call to the runner.
 */
public final class ExternalEnvironment implements WorkerEnvironment {

  /** How python.worker.mode names it, and start-up errors too. */
  public static final String MODE = "external";

  /** gRPC metadata header carrying the pool's shared secret. */
  static final Metadata.Key<String> TOKEN_HEADER =
      Metadata.Key.of("fnharness-pool-token", Metadata.ASCII_STRING_MARSHALLER);

  /** The {@code StartWorkerRequest.params} key of the worker's token; see docs/protocol.md. */
  static final String WORKER_TOKEN_PARAM = "fnharness-worker-token";

  private final String address;
  private final String token;
  private final RunnerAddress runner;

  /**
   * With the runner on loopback.
   *
   * @param address {@code host:port} of the pool ({@code python.worker.external.address})
   * @param token the pool's shared secret, or {@code null} for a pool without one
   */
  public ExternalEnvironment(String address, String token) {
    this(address, token, RunnerAddress.loopback());
  }

  /**
   * @param runner where the runner's server for the pool's workers listens
   */
  public ExternalEnvironment(String address, String token, RunnerAddress runner) {
    this.address = Objects.requireNonNull(address, "address");
    this.token = token;
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  @Override
  public RunnerAddress runnerAddress() {
    return runner;
  }

  @Override
  public String mode() {
    return MODE;
  }

  @Override
  public boolean shipsFiles() {
    return true;
  }

  @Override
  public String describeLaunch(String workerId, String provisionEndpoint) {
    return "Worker pool: "
        + address
        + " (StartWorker for worker '"
        + workerId
        + "', provision endpoint "
        + provisionEndpoint
        + ")";
  }

  @Override
  public LaunchedWorker launch(WorkerSpec spec, RunnerEndpoint runnerEndpoint) {
    String provisionEndpoint = runnerEndpoint.url();
    ManagedChannel channel = NettyChannelBuilder.forTarget(address).usePlaintext().build();
    BeamFnExternalWorkerPoolBlockingStub pool =
        BeamFnExternalWorkerPoolGrpc.newBlockingStub(channel);
    if (token != null) {
      Metadata headers = new Metadata();
      headers.put(TOKEN_HEADER, token);
      pool = pool.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    PoolWorker worker = new PoolWorker(spec.workerId(), address, channel, pool);
    ApiServiceDescriptor endpoint =
        ApiServiceDescriptor.newBuilder().setUrl(provisionEndpoint).build();
    StartWorkerRequest.Builder request =
        StartWorkerRequest.newBuilder()
            .setWorkerId(spec.workerId())
            .setProvisionEndpoint(endpoint)
            .setControlEndpoint(endpoint)
            .setLoggingEndpoint(endpoint)
            .setArtifactEndpoint(endpoint);
    if (runnerEndpoint.workerToken() != null) {
      request.putParams(WORKER_TOKEN_PARAM, runnerEndpoint.workerToken());
    }
    StartWorkerResponse response;
    try {
      response =
          pool.withDeadlineAfter(spec.startupTimeout().toMillis(), TimeUnit.MILLISECONDS)
              .startWorker(request.build());
    } catch (StatusRuntimeException e) {
      worker.kill();
      throw new WorkerStartupException(
          startProblem(spec.workerId(), provisionEndpoint, explain(e), worker.outputTail()), e);
    }
    if (!response.getError().isEmpty()) {
      channel.shutdownNow();
      throw new WorkerStartupException(
          startProblem(
              spec.workerId(),
              provisionEndpoint,
              "was not started by the pool",
              response.getError() + "\n"));
    }
    return worker;
  }

  private String explain(StatusRuntimeException e) {
    switch (e.getStatus().getCode()) {
      case UNAVAILABLE:
        return "cannot reach the worker pool (is `fnharness-worker-pool --port N` running there?): "
            + e.getStatus();
      case UNAUTHENTICATED:
        return "was refused by the worker pool: wrong or missing token (set"
            + " python.worker.external.token or python.worker.external.token-file to the pool's"
            + " token): "
            + e.getStatus();
      case DEADLINE_EXCEEDED:
        return "did not connect to the runner in time (the pool's StartWorker did not answer"
            + " within the start-up timeout; the worker was stopped)";
      default:
        return "could not be started by the worker pool: " + e.getStatus();
    }
  }

  private String startProblem(
      String workerId, String provisionEndpoint, String what, String output) {
    return WorkerNames.worker(workerId, MODE)
        + " "
        + WorkerSummary.appendedTo(what, output)
        + ".\n"
        + describeLaunch(workerId, provisionEndpoint)
        + "\nOutput (last lines):\n"
        + output;
  }
}
