package dev.fnharness.harness;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * A worker running as a child process of this JVM ({@code python -m fnharness_worker}).
 *
 * <p>Failure rule: the first sign of death wins and fails everything in flight, exactly once. The
 * process exiting is the best sign (it has an exit code and output); a broken stream alone waits
 * briefly for the exit so the error can say how the worker died.
 *
 * <p>{@link BundleReceiver} callbacks come on gRPC threads, except that a bundle started while the
 * worker is being found dead may get {@code onFailed} before {@link #startBundle} returns.
 */
public final class ProcessRemoteWorker implements RemoteWorker {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessRemoteWorker.class);

  /** How long a broken stream waits for the process exit that usually explains it. */
  private static final long EXIT_AFTER_STREAM_LOSS_MILLIS = 2000;

  /** How long close() lets the worker exit on its own after its Control stream ends. */
  private static final long CLOSE_GRACE_MILLIS = 2000;

  private final ProcessWorkerSpec spec;
  private final WorkerServices services;
  private final ControlClient control;
  private final DataChannel data;
  private final StateChannel state;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicReference<WorkerCrashedException> failure = new AtomicReference<>();
  private volatile WorkerProcess process;

  private ProcessRemoteWorker(ProcessWorkerSpec spec, WorkerServices services) {
    this.spec = spec;
    this.services = services;
    this.control = new ControlClient(spec.workerId(), this::onConnectionLost);
    this.data = new DataChannel(spec.workerId(), this::onConnectionLost);
    this.state = new StateChannel(spec.workerId(), this::onConnectionLost);
  }

  /**
   * Starts the server and the process and waits for the worker's streams. On any failure
   * everything started so far is released before the exception leaves.
   */
  static ProcessRemoteWorker start(ProcessWorkerSpec spec, LogEntrySink logSink) {
    WorkerServices services;
    try {
      services = WorkerServices.start(logSink);
    } catch (RuntimeException e) {
      throw new WorkerStartupException(
          "Python worker '" + spec.workerId() + "' (mode: process) cannot start: " + e.getMessage(),
          e);
    }
    ProcessRemoteWorker worker = new ProcessRemoteWorker(spec, services);
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
    services.connect(
        workerId,
        ProvisionServer.provisionInfo(
            workerId, services.endpoint(), spec.pythonFiles(), spec.logLevel()),
        control,
        data);
    services.connectState(workerId, state);
    List<String> command =
        List.of(
            spec.pythonExecutable(),
            "-m",
            "fnharness_worker",
            "--id",
            workerId,
            "--provision_endpoint",
            services.endpoint());
    Map<String, String> environment = workerEnvironment(command);
    try {
      process = WorkerProcess.start(workerId, command, environment);
    } catch (IOException e) {
      throw new WorkerStartupException(
          startupProblem("could not be launched: " + e.getMessage(), command, environment), e);
    }
    awaitStreams(command, environment);
    process.onExit().thenRun(this::onProcessExit);
  }

  private Map<String, String> workerEnvironment(List<String> command) {
    String packageDir;
    try {
      packageDir = WorkerPackage.directory().toString();
    } catch (RuntimeException e) {
      throw new WorkerStartupException(
          "Python worker '"
              + spec.workerId()
              + "' (mode: process) cannot start: the worker package is unavailable: "
              + e.getMessage()
              + "\nCommand: "
              + WorkerProcess.commandLine(command),
          e);
    }
    Map<String, String> environment = new HashMap<>(spec.environment());
    String existing = environment.getOrDefault("PYTHONPATH", System.getenv("PYTHONPATH"));
    environment.put(
        "PYTHONPATH",
        existing == null || existing.isEmpty()
            ? packageDir
            : packageDir + File.pathSeparator + existing);
    environment.put("PYTHONUNBUFFERED", "1");
    return environment;
  }

  /**
   * Waits for the Control and Data streams. The contract only promises Control, but the worker
   * opens Data right after it, and a worker without Data would hang the first bundle forever.
   */
  private void awaitStreams(List<String> command, Map<String, String> environment) {
    Duration timeout = spec.startupTimeout();
    CompletableFuture<Void> streams = CompletableFuture.allOf(control.connected(), data.connected());
    try {
      CompletableFuture.anyOf(streams, process.onExit())
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      process.kill();
      throw new WorkerStartupException(
          startupProblem(
              (control.connected().isDone() ? "opened its control stream but not its data stream"
                      : "did not connect to the runner")
                  + ": still running after "
                  + describe(timeout)
                  + " (the process was killed)",
              command,
              environment));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerStartupException(
          startupProblem("start-up was interrupted", command, environment), e);
    } catch (ExecutionException e) {
      // A stream was lost; the checks below say more.
    }
    if (streams.isDone() && !streams.isCompletedExceptionally()) {
      return;
    }
    if (!process.isAlive()) {
      throw new WorkerStartupException(
          startupProblem(
              "exited during start-up with "
                  + ExitCodes.describe(process.exitCode())
                  + " before connecting to the runner",
              command,
              environment));
    }
    WorkerCrashedException lost = failure.get();
    throw new WorkerStartupException(
        startupProblem(
            "lost its connection during start-up"
                + (lost == null ? "" : ": " + lost.getMessage()),
            command,
            environment));
  }

  private String startupProblem(
      String what, List<String> command, Map<String, String> environment) {
    WorkerProcess started = process;
    return "Python worker '"
        + spec.workerId()
        + "' (mode: process) "
        + what
        + ".\nCommand: "
        + WorkerProcess.commandLine(command)
        + "\nPYTHONPATH="
        + environment.get("PYTHONPATH")
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

  /** The operating-system id of the worker process. */
  public long pid() {
    return process.pid();
  }

  @Override
  public void register(ProcessBundleDescriptor descriptor, Duration timeout) {
    checkUsable();
    InstructionRequest request =
        InstructionRequest.newBuilder()
            .setInstructionId(control.newInstructionId("register"))
            .setRegister(
                RegisterRequest.newBuilder().addProcessBundleDescriptor(withStateEndpoint(descriptor)))
            .build();
    InstructionResponse response;
    try {
      response = control.send(request).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new WorkerCrashedException(
          "Python worker '"
              + workerId()
              + "' did not answer the registration of descriptor '"
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
      throw new IllegalStateException("Python worker '" + workerId() + "' is closed");
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

  private void onProcessExit() {
    if (closed.get()) {
      return;
    }
    WorkerProcess exited = process;
    failEverything(
        new WorkerCrashedException(
            "Python worker '"
                + workerId()
                + "' (pid "
                + exited.pid()
                + ") exited unexpectedly with "
                + ExitCodes.describe(exited.exitCode())
                + ".\nOutput (last lines):\n"
                + exited.outputTail()));
  }

  private void onConnectionLost(String stream, Throwable cause) {
    if (closed.get() || failure.get() != null) {
      return;
    }
    WorkerProcess running = process;
    String what =
        "Python worker '"
            + workerId()
            + "' lost its "
            + stream
            + " stream"
            + (cause == null ? " (closed by the worker)" : ": " + cause);
    if (running == null) {
      failEverything(new WorkerCrashedException(what, cause));
      return;
    }
    // Usually the process is dying; give its exit a moment to report with code and output.
    running
        .onExit()
        .thenApply(p -> true)
        .completeOnTimeout(false, EXIT_AFTER_STREAM_LOSS_MILLIS, TimeUnit.MILLISECONDS)
        .thenAccept(
            exited -> {
              if (!exited) {
                failEverything(
                    new WorkerCrashedException(
                        what
                            + "; its process (pid "
                            + running.pid()
                            + ") is still running.\nOutput (last lines):\n"
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
      failEverything(
          new WorkerCrashedException("Python worker '" + workerId() + "' was closed"));
      control.closeStream();
      data.closeStream();
      state.closeStream();
      WorkerProcess running = process;
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
