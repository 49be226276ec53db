package dev.fnharness.harness;

/**
 * How messages name a worker, the same way everywhere: "Python worker 'ID'", and in start-up
 * errors, where the environment matters, "Python worker 'ID' (mode: M)".
 */
public final class WorkerNames {

  private WorkerNames() {}

  /** {@code Python worker 'ID'}. */
  public static String worker(String workerId) {
    return "Python worker '" + workerId + "'";
  }

  /** {@code Python worker 'ID' (mode: M)}, e.g. mode {@code docker}. */
  public static String worker(String workerId, String mode) {
    return worker(workerId) + " (mode: " + mode + ")";
  }
}
