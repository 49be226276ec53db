package dev.fnharness.harness.environment;

import dev.fnharness.harness.WorkerNames;
import dev.fnharness.harness.WorkerSpec;
import dev.fnharness.harness.WorkerStartupException;
import dev.fnharness.harness.server.RunnerEndpoint;
import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Process mode: {@code <python> -m fnharness_worker --id ID --provision_endpoint HOST:PORT} as a
 * child of this JVM, with the worker package (unpacked from the jar) on {@code PYTHONPATH}.
 */
public final class ProcessEnvironment implements WorkerEnvironment {

  /** How python.worker.mode names it, and start-up errors too. */
  public static final String MODE = "process";

  private final String pythonExecutable;
  private final Map<String, String> environment;

  /**
   * @param pythonExecutable the interpreter ({@code python.executable}); needs grpcio and protobuf
   * @param environment extra environment variables for the process
   */
  public ProcessEnvironment(String pythonExecutable, Map<String, String> environment) {
    this.pythonExecutable = Objects.requireNonNull(pythonExecutable, "pythonExecutable");
    this.environment = Map.copyOf(environment);
  }

  @Override
  public String mode() {
    return MODE;
  }

  @Override
  public boolean shipsFiles() {
    return false;
  }

  List<String> command(String workerId, String provisionEndpoint) {
    return List.of(
        pythonExecutable,
        "-m",
        "fnharness_worker",
        "--id",
        workerId,
        "--provision_endpoint",
        provisionEndpoint);
  }

  @Override
  public String describeLaunch(String workerId, String provisionEndpoint) {
    return "Command: "
        + WorkerProcess.commandLine(command(workerId, provisionEndpoint))
        + "\nPYTHONPATH="
        + pythonPath(packageDirectoryOrProblem());
  }

  @Override
  public LaunchedWorker launch(WorkerSpec spec, RunnerEndpoint runner) {
    // On loopback (the default runnerAddress()) the runner asks for no token.
    String provisionEndpoint = runner.url();
    String workerId = spec.workerId();
    List<String> command = command(workerId, provisionEndpoint);
    String packageDir;
    try {
      packageDir = WorkerPackage.directory().toString();
    } catch (RuntimeException e) {
      throw new WorkerStartupException(
          WorkerNames.worker(workerId, MODE)
              + " cannot start: the worker package is unavailable: "
              + e.getMessage()
              + "\nCommand: "
              + WorkerProcess.commandLine(command),
          e);
    }
    Map<String, String> variables = new HashMap<>(environment);
    variables.put("PYTHONPATH", pythonPath(packageDir));
    variables.put("PYTHONUNBUFFERED", "1");
    try {
      return WorkerProcess.start(workerId, command, variables);
    } catch (IOException e) {
      throw new WorkerStartupException(
          WorkerNames.worker(workerId, MODE)
              + " could not be launched: "
              + e.getMessage()
              + ". Fix: set python.executable to the path of a Python 3 with grpcio and protobuf"
              + " (it is '"
              + command.get(0)
              + "').\n"
              + describeLaunch(workerId, provisionEndpoint),
          e);
    }
  }

  private String pythonPath(String packageDir) {
    String existing = environment.getOrDefault("PYTHONPATH", System.getenv("PYTHONPATH"));
    return existing == null || existing.isEmpty()
        ? packageDir
        : packageDir + File.pathSeparator + existing;
  }

  private static String packageDirectoryOrProblem() {
    try {
      return WorkerPackage.directory().toString();
    } catch (RuntimeException e) {
      return "(worker package unavailable: " + e.getMessage() + ")";
    }
  }
}
