package dev.fnharness.flink;

import dev.fnharness.flink.internal.ErrorText;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.util.SerializedThrowable;

/**
 * What to read first about a job that failed in fnharness or in Python: fnharness's one-line
 * summary (what went wrong, with the function, the row or the fix) and, when Python raised, its
 * traceback. It finds fnharness's exception wherever Flink wrapped it ({@code
 * JobExecutionException}, "Recovery is suppressed by ...", a {@link SerializedThrowable} from a
 * cluster):
 *
 * <pre>{@code
 * try {
 *   env.execute("my job");
 * } catch (Exception e) {
 *   PythonFailure.in(e).ifPresent(failure -> System.err.println(failure.summary()));
 *   throw e;
 * }
 * }</pre>
 *
 * Jobs that use fnharness also log the summary at ERROR when {@code execute()} fails.
 */
public final class PythonFailure {

  private static final String OUR_PACKAGE = "dev.fnharness.";

  private final String exceptionClass;
  private final String message;

  private PythonFailure(String exceptionClass, String message) {
    this.exceptionClass = exceptionClass;
    this.message = message;
  }

  /** The first of fnharness's exceptions in {@code failure}'s causes, if there is one. */
  public static Optional<PythonFailure> in(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      String name =
          t instanceof SerializedThrowable serialized
              ? serialized.getOriginalErrorClassName()
              : t.getClass().getName();
      if (name != null && name.startsWith(OUR_PACKAGE) && t.getMessage() != null) {
        String text = t.getMessage();
        // a SerializedThrowable may carry "ClassName: message"
        return Optional.of(
            new PythonFailure(
                name, text.startsWith(name + ": ") ? text.substring(name.length() + 2) : text));
      }
    }
    return Optional.empty();
  }

  /** One line: what went wrong, naming the function, the row and the value, or the fix. */
  public String summary() {
    return ErrorText.firstLine(message);
  }

  /** The Python traceback, when Python raised. */
  public Optional<String> pythonTraceback() {
    return ErrorText.traceback(message);
  }

  /** The whole message: the summary and every detail (worker output, paths, traceback). */
  public String message() {
    return message;
  }

  /** The exception's class, e.g. {@code dev.fnharness.flink.PythonFunctionException}. */
  public String exceptionClass() {
    return exceptionClass;
  }

  @Override
  public String toString() {
    return summary();
  }
}
