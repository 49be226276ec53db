package dev.fnharness.harness.worker;

import dev.fnharness.harness.PythonWorkerException;
import dev.fnharness.harness.RemoteWorker;
import dev.fnharness.harness.WorkerCrashedException;
import dev.fnharness.harness.WorkerNames;
import dev.fnharness.harness.WorkerSpec;
import dev.fnharness.harness.WorkerStartupException;
import dev.fnharness.harness.WorkerSummary;
import dev.fnharness.harness.artifact.WorkerArtifacts;
import dev.fnharness.harness.bundle.ActiveBundle;
import dev.fnharness.harness.bundle.BundleReceiver;
import dev.fnharness.harness.bundle.InFlightBundle;
import dev.fnharness.harness.control.ControlClient;
import dev.fnharness.harness.data.BundleInput;
import dev.fnharness.harness.data.DataChannel;
import dev.fnharness.harness.environment.LaunchedWorker;
import dev.fnharness.harness.environment.WorkerEnvironment;
import dev.fnharness.harness.logging.LogEntrySink;
import dev.fnharness.harness.server.ProvisionServer;
import dev.fnharness.harness.server.RunnerEndpoint;
import dev.fnharness.harness.server.WorkerServices;
import dev.fnharness.harness.state.StateChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.InstructionRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.InstructionResponse;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleDescriptor;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleRequest;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.RegisterRequest;
import org.apache.beam.model.pipeline.v1.Endpoints.ApiServiceDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started worker seen through the Fn API, whatever its environment (process, docker, external
 * pool): registration, bundles, failure detection and close. The environment only launches it and
 * reports how it ended ({@link LaunchedWorker}).
 *
 * <p>Failure rule: the first sign of death wins and fails everything in flight, exactly once. The
 * worker exiting is the best sign (it has an exit code and output); a broken stream alone waits
 * briefly for the exit so the error can say how the worker died, then ends the worker.
 *
 * <p>{@link BundleReceiver} callbacks come on gRPC threads, except that a bundle started while the
 * worker is being found dead may get {@code onFailed} before {@link #startBundle} returns.
 */
public final class FnApiRemoteWorker implements RemoteWorker {

  private static final Logger LOG = LoggerFactory.getLogger(FnApiRemoteWorker.class);

  /** How long a broken stream waits for the exit that usually explains it. */
  private static final long EXIT_AFTER_STREAM_LOSS_MILLIS = 2000;

  /** How long close() lets the worker exit on its own after its Control stream ends. */
  private static final long CLOSE_GRACE_MILLIS = 2000;

  private final WorkerSpec spec;
  private final WorkerEnvironment environment;
  private final WorkerServices services;
  private final ControlClient control;
  private final DataChannel data;
  private final StateChannel state;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicReference<WorkerCrashedException> failure = new AtomicReference<>();
  private volatile LaunchedWorker launched;

  private FnApiRemoteWorker(
      WorkerSpec spec, WorkerEnvironment environment, WorkerServices services) {
    this.spec = spec;
    this.environment = environment;
    this.services = services;
    this.control = new ControlClient(spec.workerId(), this::onConnectionLost);
    this.data = new DataChannel(spec.workerId(), this::onConnectionLost);
    this.state = new StateChannel(spec.workerId(), this::onConnectionLost);
  }

  /**
   * Starts the server and the worker and waits for the worker's streams. On any failure everything
   * started so far is released before the exception leaves.
   */
  public static FnApiRemoteWorker start(
      WorkerSpec spec, WorkerEnvironment environment, LogEntrySink logSink) {
    WorkerServices services;
    try {
      services = WorkerServices.start(logSink, environment.runnerAddress());
    } catch (RuntimeException e) {
      throw new WorkerStartupException(
          WorkerNames.worker(spec.workerId(), environment.mode())
              + " cannot start: "
              + e.getMessage(),
          e);
    }
    FnApiRemoteWorker worker = new FnApiRemoteWorker(spec, environment, services);
    try {
      worker.launch();
      return worker;
    } catch (RuntimeException | Error e) {
      worker.close();
      throw e;
    }
  }

  private void launch() {
    String workerId = spec.workerId();
    WorkerArtifacts artifacts =
        environment.shipsFiles() ? WorkerArtifacts.of(spec.dependencies()) : WorkerArtifacts.none();
    services.connect(
        workerId,
        ProvisionServer.provisionInfo(services.endpoint(), spec, artifacts.information()),
        artifacts,
        control,
        data);
    services.connectState(workerId, state);
    launched =
        environment.launch(spec, new RunnerEndpoint(services.endpoint(), services.admit(workerId)));
    awaitStreams();
    launched.onExit().thenRun(this::onWorkerExit);
  }

  /**
   * Waits for the Control and Data streams. The contract only promises Control, but the worker
   * opens Data right after it, and a worker without Data would hang the first bundle forever.
   */
  private void awaitStreams() {
    Duration timeout = spec.startupTimeout();
    CompletableFuture<Void> streams =
        CompletableFuture.allOf(control.connected(), data.connected());
    try {
      CompletableFuture.anyOf(streams, launched.onExit())
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      launched.kill();
      throw new WorkerStartupException(
          startupProblem(
              (control.connected().isDone()
                      ? "opened its control stream but not its data stream"
                      : "did not connect to the runner")
                  + ": still running after "
                  + describe(timeout)
                  + " (it was killed)"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerStartupException(startupProblem("start-up was interrupted"), e);
    } catch (ExecutionException e) {
      // A stream was lost; the checks below say more.
    }
    if (streams.isDone() && !streams.isCompletedExceptionally()) {
      return;
    }
    if (!launched.isAlive()) {
      throw new WorkerStartupException(
          startupProblem(
              "exited during start-up with "
                  + launched.exitDescription()
                  + " before connecting to the runner"));
    }
    WorkerCrashedException lost = failure.get();
    throw new WorkerStartupException(
        startupProblem(
            "lost its connection during start-up"
                + (lost == null ? "" : ": " + lost.getMessage())));
  }

  private String startupProblem(String what) {
    LaunchedWorker started = launched;
    return WorkerNames.worker(spec.workerId(), environment.mode())
        + " "
        + WorkerSummary.appendedTo(what, started == null ? null : started.outputTail())
        + ".\n"
        + environment.describeLaunch(spec.workerId(), services.endpoint())
        + (started == null ? "" : "\nOutput (last lines):\n" + started.outputTail());
  }

  private static String describe(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
  }

  @Override
  public String workerId() {
    return spec.workerId();
  }

  /** How the worker runs, e.g. {@code docker}. */
  public String mode() {
    return environment.mode();
  }

  /**
   * The operating-system id of the process this JVM started for the worker: the worker itself in
   * process mode, the {@code docker run} client in docker mode.
   *
   * @throws IllegalStateException in external mode, where this JVM starts no process
   */
  public long pid() {
    return launched
        .pid()
        .orElseThrow(
            () -> new IllegalStateException("mode " + environment.mode() + " starts no process"));
  }

  @Override
  public void register(ProcessBundleDescriptor descriptor, Duration timeout) {
    checkUsable();
    InstructionRequest request =
        InstructionRequest.newBuilder()
            .setInstructionId(control.newInstructionId("register"))
            .setRegister(
                RegisterRequest.newBuilder()
                    .addProcessBundleDescriptor(withStateEndpoint(descriptor)))
            .build();
    InstructionResponse response;
    try {
      response = control.send(request).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new WorkerCrashedException(
          WorkerNames.worker(workerId())
              + " did not answer the registration of descriptor '"
              + descriptor.getId()
              + "' within "
              + describe(timeout));
    } catch (ExecutionException e) {
      throw asCrash(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerCrashedException(
          "Interrupted while registering descriptor '" + descriptor.getId() + "'", e);
    }
    if (!response.getError().isEmpty()) {
      throw new PythonWorkerException(response.getError());
    }
  }

  /** Beam's way to tell the worker where State is: in the descriptor. Ours is the one address. */
  private ProcessBundleDescriptor withStateEndpoint(ProcessBundleDescriptor descriptor) {
    if (descriptor.hasStateApiServiceDescriptor()) {
      return descriptor;
    }
    return descriptor.toBuilder()
        .setStateApiServiceDescriptor(ApiServiceDescriptor.newBuilder().setUrl(services.endpoint()))
        .build();
  }

  @Override
  public ActiveBundle startBundle(
      String descriptorId, String transformId, BundleReceiver receiver) {
    checkUsable();
    String instructionId = control.newInstructionId("bundle");
    InFlightBundle bundle =
        new InFlightBundle(
            instructionId,
            receiver,
            () -> {
              data.remove(instructionId);
              state.remove(instructionId);
            });
    // Route output and state requests before the worker can produce any.
    state.add(bundle);
    data.add(bundle);
    InstructionRequest request =
        InstructionRequest.newBuilder()
            .setInstructionId(instructionId)
            .setProcessBundle(
                ProcessBundleRequest.newBuilder().setProcessBundleDescriptorId(descriptorId))
            .build();
    control
        .send(request)
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                bundle.fail(asCrash(error));
              } else if (!response.getError().isEmpty()) {
                bundle.fail(new PythonWorkerException(response.getError()));
              } else {
                bundle.onResponse(response.getProcessBundle());
              }
            });
    return new BundleInput(bundle, transformId, data);
  }

  private void checkUsable() {
    if (closed.get()) {
      throw new IllegalStateException(WorkerNames.worker(workerId()) + " is closed");
    }
    WorkerCrashedException crashed = failure.get();
    if (crashed != null) {
      throw new WorkerCrashedException(crashed.getMessage(), crashed);
    }
  }

  private static WorkerCrashedException asCrash(Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    if (cause instanceof WorkerCrashedException crashed) {
      // A fresh exception so the stack trace shows the caller, the cause shows where it died.
      return new WorkerCrashedException(crashed.getMessage(), crashed);
    }
    return new WorkerCrashedException("Python worker call failed: " + cause, cause);
  }

  private void onWorkerExit() {
    if (closed.get()) {
      return;
    }
    LaunchedWorker exited = launched;
    failEverything(
        new WorkerCrashedException(
            WorkerNames.worker(workerId())
                + " ("
                + exited.describe()
                + ") exited unexpectedly with "
                + exited.exitDescription()
                + ".\nOutput (last lines):\n"
                + exited.outputTail()));
  }

  private void onConnectionLost(String stream, Throwable cause) {
    if (closed.get() || failure.get() != null) {
      return;
    }
    LaunchedWorker running = launched;
    String what =
        WorkerNames.worker(workerId())
            + " lost its "
            + stream
            + " stream"
            + (cause == null ? " (closed by the worker)" : ": " + cause);
    if (running == null) {
      failEverything(new WorkerCrashedException(what, cause));
      return;
    }
    // Usually the worker is dying; give its exit a moment to report with code and output.
    running
        .onExit()
        .thenApply(p -> true)
        .completeOnTimeout(false, EXIT_AFTER_STREAM_LOSS_MILLIS, TimeUnit.MILLISECONDS)
        .thenAccept(
            exited -> {
              if (!exited) {
                // A worker without its stream is of no use; stopping it also gets the output
                // of a worker whose environment reports only on stop (an external pool).
                running.kill();
                failEverything(
                    new WorkerCrashedException(
                        what
                            + "; the worker ("
                            + running.describe()
                            + ") had not exited after "
                            + EXIT_AFTER_STREAM_LOSS_MILLIS
                            + " ms and was stopped.\nOutput (last lines):\n"
                            + running.outputTail(),
                        cause));
              }
            });
  }

  private void failEverything(WorkerCrashedException crash) {
    if (!failure.compareAndSet(null, crash)) {
      return;
    }
    if (!closed.get()) {
      LOG.error(crash.getMessage());
    }
    control.failAll(crash);
    state.failAll(crash);
    data.failAll(crash);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      failEverything(new WorkerCrashedException(WorkerNames.worker(workerId()) + " was closed"));
      control.closeStream();
      data.closeStream();
      state.closeStream();
      LaunchedWorker running = launched;
      if (running != null) {
        running.stop(CLOSE_GRACE_MILLIS);
      }
    } catch (RuntimeException e) {
      LOG.warn("Stopping Python worker '{}' failed", workerId(), e);
    } finally {
      try {
        services.disconnect(workerId());
        services.close();
      } catch (RuntimeException e) {
        LOG.warn("Closing the gRPC server of Python worker '{}' failed", workerId(), e);
      }
    }
  }
}
