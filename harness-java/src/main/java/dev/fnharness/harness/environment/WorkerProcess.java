package dev.fnharness.harness.environment;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.event.Level;

/**
 * One spawned process with its output pumps and the tail of what it printed: the worker itself in
 * process mode, the {@code docker run} client (which relays the container's output) in docker mode.
 */
public final class WorkerProcess implements LaunchedWorker {

  private static final int TAIL_LINES = 50;
  private static final int TAIL_CHARS = 8 * 1024;
  private static final long DRAIN_MILLIS = 1000;

  private final Process process;
  private final List<String> command;
  private final OutputTail tail;
  private final OutputPump stdout;
  private final OutputPump stderr;

  private WorkerProcess(
      Process process,
      List<String> command,
      OutputTail tail,
      OutputPump stdout,
      OutputPump stderr) {
    this.process = process;
    this.command = command;
    this.tail = tail;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Spawns the process and starts draining its output.
   *
   * @param environment variables set on top of this JVM's environment
   */
  static WorkerProcess start(String workerId, List<String> command, Map<String, String> environment)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    Process process = builder.start();
    LiveWorkerProcesses.add(process);
    OutputTail tail = new OutputTail(TAIL_LINES, TAIL_CHARS);
    // stdout at DEBUG: after start-up the worker sends print() output over the Logging stream.
    // stderr at INFO: what lands there is start-up failures and crashes.
    OutputPump out =
        OutputPump.start(workerId, "stdout", process.getInputStream(), Level.DEBUG, tail);
    OutputPump err =
        OutputPump.start(workerId, "stderr", process.getErrorStream(), Level.INFO, tail);
    return new WorkerProcess(process, List.copyOf(command), tail, out, err);
  }

  @Override
  public String describe() {
    return "pid " + process.pid();
  }

  @Override
  public OptionalLong pid() {
    return OptionalLong.of(process.pid());
  }

  /** The command as one shell-like line, for error messages. */
  String commandLine() {
    return commandLine(command);
  }

  static String commandLine(List<String> command) {
    return command.stream()
        .map(arg -> arg.isEmpty() || arg.matches(".*[\\s'\"\\\\$].*") ? "'" + arg + "'" : arg)
        .collect(Collectors.joining(" "));
  }

  @Override
  public CompletableFuture<Void> onExit() {
    return process.onExit().thenApply(p -> null);
  }

  @Override
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Only valid once the process has exited. */
  int exitCode() {
    return process.exitValue();
  }

  @Override
  public String exitDescription() {
    return ExitCodes.describe(process.exitValue());
  }

  /**
   * What the process printed last. After an exit it first waits (briefly) for the pumps to read the
   * rest of the pipes, or the crash traceback would often be missing.
   */
  @Override
  public String outputTail() {
    if (!process.isAlive()) {
      stdout.awaitDrained(DRAIN_MILLIS);
      stderr.awaitDrained(DRAIN_MILLIS);
    }
    return tail.isEmpty() ? "(nothing)\n" : tail.text();
  }

  /**
   * Lets the process end on its own for up to {@code graceMillis} (it exits once its Control stream
   * closes), then terminates it, then kills it. Never throws.
   */
  @Override
  public void stop(long graceMillis) {
    try {
      if (process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
        return;
      }
      process.destroy();
      if (process.waitFor(1, TimeUnit.SECONDS)) {
        return;
      }
      kill();
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
    }
  }

  /** Kills the process (and anything it spawned) at once and waits a moment for it to be gone. */
  @Override
  public void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
