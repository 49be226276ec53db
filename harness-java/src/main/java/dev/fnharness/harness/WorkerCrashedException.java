package dev.fnharness.harness;

/**
 * The worker is gone or unreachable: its process exited, its control stream closed, or it did not
 * answer in time. The message names the worker, its exit and the tail of what it printed.
 */
public class WorkerCrashedException extends RuntimeException {

  public WorkerCrashedException(String message) {
    super(message);
  }

  public WorkerCrashedException(String message, Throwable cause) {
    super(message, cause);
  }
}
