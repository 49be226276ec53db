package dev.fnharness.cli;

import dev.fnharness.flink.PythonFailure;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code fnharness run} prints when the job failed: the one line a user needs first (a bad
 * input line or a Python function's failure says all in fnharness's own message; Flink's wrappers
 * around it only repeat "job failed"), the Python traceback when Python raised, and with {@code
 * --verbose} every detail and the Java stack trace.
 */
final class FailureMessage {

  static final String VERBOSE_HINT =
      "(fnharness run --verbose shows the details and the Java stack trace)";

  private FailureMessage() {}

  static void print(Throwable failure, boolean verbose, PrintWriter err) {
    Optional<PythonFailure> ours = PythonFailure.in(failure);
    if (ours.isPresent()) {
      err.println("fnharness: the job failed: " + ours.get().summary());
      if (verbose) {
        String message = ours.get().message();
        int details = message.indexOf('\n');
        if (details >= 0) {
          err.println(message.substring(details + 1));
        }
      } else {
        ours.get().pythonTraceback().ifPresent(err::println);
      }
    } else {
      Throwable root = rootCause(failure);
      String message =
          root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("");
      err.println("fnharness: the job failed: " + root.getClass().getName() + ": " + message);
    }
    if (verbose) {
      failure.printStackTrace(err);
    } else {
      err.println(VERBOSE_HINT);
    }
  }

  private static Throwable rootCause(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Throwable root = failure;
    while (root.getCause() != null && seen.add(root)) {
      root = root.getCause();
    }
    return root;
  }
}
