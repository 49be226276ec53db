package dev.fnharness.flink.internal.config;

import dev.fnharness.flink.PythonOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.flink.annotation.Internal;

/** The values of {@code python.worker.scope}: which operators share a worker. */
@Internal
public enum WorkerScope {
  /** A worker per operator instance. */
  OPERATOR("operator"),
  /** One worker for the Python operators of a slot whose worker settings are equal. */
  SLOT("slot");

  private final String value;

  WorkerScope(String value) {
    this.value = value;
  }

  /**
   * @throws IllegalArgumentException naming the key, the value and the supported ones
   */
  static WorkerScope of(String value) {
    String scope = value.trim().toLowerCase(Locale.ROOT);
    for (WorkerScope known : values()) {
      if (known.value.equals(scope)) {
        return known;
      }
    }
    List<String> supported = Arrays.stream(values()).map(s -> s.value).toList();
    throw new IllegalArgumentException(
        PythonOptions.WORKER_SCOPE.key()
            + ": '"
            + scope
            + "' is not supported; supported: "
            + supported);
  }

  @Override
  public String toString() {
    return value;
  }
}
