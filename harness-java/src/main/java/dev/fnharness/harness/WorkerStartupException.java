package dev.fnharness.harness;

/**
 * The worker did not come up: it exited during start-up or did not connect within the start-up
 * timeout. The message names the mode, the command line, the exit code (if any) and the tail of
 * what the worker printed.
 */
public class WorkerStartupException extends RuntimeException {

  public WorkerStartupException(String message) {
    super(message);
  }

  public WorkerStartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
