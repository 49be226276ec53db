package dev.fnharness.harness.environment;

import dev.fnharness.harness.worker.FnApiRemoteWorker;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A started worker as its environment sees it: whether it still runs, what it printed, how to stop
 * it. {@link FnApiRemoteWorker} owns the protocol and the failure rule; this is only the
 * mode-specific part (a child process, a container, a worker in an external pool).
 */
public interface LaunchedWorker {

  /** E.g. {@code "pid 1234"}, {@code "container fnharness-x (docker client pid 1234)"}. */
  String describe();

  /** The operating-system id of the process this JVM started, if it started one. */
  OptionalLong pid();

  /**
   * Completes when the worker has exited. A fresh future on each call, so callers may add timeouts
   * without affecting each other. Never completes where exits cannot be seen (a worker in an
   * external pool).
   */
  CompletableFuture<Void> onExit();

  boolean isAlive();

  /** How it ended, e.g. {@code "exit code 137 (killed by signal 9 (SIGKILL))"}; after an exit. */
  String exitDescription();

  /** What the worker printed last (or where to find it), newline-terminated. */
  String outputTail();

  /**
   * Lets the worker end on its own for up to {@code graceMillis} (it exits once its Control stream
   * closes), then ends it by force. Never throws.
   */
  void stop(long graceMillis);

  /** Ends the worker at once and waits a moment for it to be gone. Never throws. */
  void kill();
}
