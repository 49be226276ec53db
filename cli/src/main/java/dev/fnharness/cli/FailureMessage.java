package dev.fnharness.cli;

import dev.fnharness.flink.PythonFunctionException;
import java.util.Optional;
import org.apache.flink.util.SerializedThrowable;

/**
 * The one message a user needs from a failed job: a bad input line or a failing Python function
 * says all in its own message; Flink's wrappers around it only repeat "job failed".
 */
final class FailureMessage {

  private static final String[] OURS = {
    InputLineException.class.getName(), PythonFunctionException.class.getName()
  };

  private FailureMessage() {}

  /** The message of our exception in {@code failure}'s causes, if there is one. */
  static Optional<String> of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String name =
          t instanceof SerializedThrowable serialized
              ? serialized.getOriginalErrorClassName()
              : t.getClass().getName();
      for (String ours : OURS) {
        if (ours.equals(name)) {
          String message = t.getMessage();
          // a SerializedThrowable may carry "ClassName: message"
          return Optional.of(
              message.startsWith(name + ": ") ? message.substring(name.length() + 2) : message);
        }
      }
    }
    return Optional.empty();
  }
}
