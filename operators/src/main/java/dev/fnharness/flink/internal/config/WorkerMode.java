package dev.fnharness.flink.internal.config;

import dev.fnharness.flink.PythonOptions;
import dev.fnharness.harness.environment.DockerEnvironment;
import dev.fnharness.harness.environment.ExternalEnvironment;
import dev.fnharness.harness.environment.ProcessEnvironment;
import dev.fnharness.harness.environment.WorkerEnvironment;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;

/**
 * The values of {@code python.worker.mode} (spelt by the environments), and for each what it needs
 * and how its workers start: the one place a mode is known. A new mode is an entry here (with a
 * settings type of its own, as {@link DockerSettings}) and a {@link WorkerEnvironment} in
 * harness-java.
 */
@Internal
public enum WorkerMode {
  /** {@code python.executable -m fnharness_worker} as a child process of the TaskManager. */
  PROCESS(ProcessEnvironment.MODE) {
    @Override
    void checkComplete(PythonConfig config) {}

    @Override
    public WorkerEnvironment environment(PythonConfig config) {
      return new ProcessEnvironment(config.pythonExecutable(), Map.of());
    }
  },

  /** A container of {@code python.worker.docker.image}. */
  DOCKER(DockerEnvironment.MODE) {
    @Override
    void checkComplete(PythonConfig config) {
      DockerSettings.of(config);
    }

    @Override
    public WorkerEnvironment environment(PythonConfig config) {
      DockerSettings docker = DockerSettings.of(config);
      return new DockerEnvironment(DockerSettings.CLIENT, docker.image(), docker.runArgs());
    }
  },

  /** A worker of the pool at {@code python.worker.external.address}. */
  EXTERNAL(ExternalEnvironment.MODE) {
    @Override
    void checkComplete(PythonConfig config) {
      ExternalSettings.of(config);
      ExternalRunner.check(config);
    }

    @Override
    public WorkerEnvironment environment(PythonConfig config) {
      ExternalSettings external = ExternalSettings.of(config);
      return new ExternalEnvironment(
          external.address(), external.token(), ExternalRunner.address(config));
    }
  };

  private final String value;

  WorkerMode(String value) {
    this.value = value;
  }

  /** As in the configuration, e.g. {@code docker}. */
  public String value() {
    return value;
  }

  /**
   * @throws IllegalArgumentException naming the key, the value and the supported ones
   */
  public static WorkerMode of(String value) {
    String mode = value.trim().toLowerCase(Locale.ROOT);
    for (WorkerMode known : values()) {
      if (known.value.equals(mode)) {
        return known;
      }
    }
    throw new IllegalArgumentException(
        PythonOptions.WORKER_MODE.key()
            + ": '"
            + mode
            + "' is not supported; supported: "
            + supportedValues());
  }

  static List<String> supportedValues() {
    return Arrays.stream(values()).map(WorkerMode::value).toList();
  }

  /**
   * Checks that the complete settings (job over cluster) have what this mode needs.
   *
   * @throws IllegalArgumentException naming the missing or wrong key
   */
  abstract void checkComplete(PythonConfig config);

  /** "python.worker.mode is 'docker' but python.worker.docker.image is not set: {what to do}". */
  IllegalArgumentException lacks(ConfigOption<?> required, String whatToDo) {
    return new IllegalArgumentException(
        PythonOptions.WORKER_MODE.key()
            + " is '"
            + value
            + "' but "
            + required.key()
            + " is not set: "
            + whatToDo);
  }

  /** How workers of this mode start, from the complete settings. */
  public abstract WorkerEnvironment environment(PythonConfig config);

  @Override
  public String toString() {
    return value;
  }
}
