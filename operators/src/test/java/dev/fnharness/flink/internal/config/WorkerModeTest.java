package dev.fnharness.flink.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fnharness.harness.environment.WorkerEnvironment;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The mode registry: each mode's settings, check and environment, and no silent fall-back. */
class WorkerModeTest {

  private static PythonConfig complete(Map<String, String> settings) {
    return PythonConfig.capture(Configuration.fromMap(settings)).withFallback(new Configuration());
  }

  private static final Map<WorkerMode, Map<String, String>> WHAT_EACH_NEEDS =
      Map.of(
          WorkerMode.PROCESS,
          Map.of("python.worker.mode", "process"),
          WorkerMode.DOCKER,
          Map.of("python.worker.mode", "docker", "python.worker.docker.image", "worker:1"),
          WorkerMode.EXTERNAL,
          Map.of(
              "python.worker.mode",
              "external",
              "python.worker.external.address",
              "127.0.0.1:5000"));

  @Test
  void everyModeStartsWorkersInTheEnvironmentOfItsName() {
    assertThat(WHAT_EACH_NEEDS.keySet()).containsExactlyInAnyOrder(WorkerMode.values());
    for (WorkerMode mode : WorkerMode.values()) {
      PythonConfig config = complete(WHAT_EACH_NEEDS.get(mode));
      assertThat(config.workerMode()).isEqualTo(mode);
      WorkerEnvironment environment = mode.environment(config);
      assertThat(environment.mode()).isEqualTo(mode.value());
      assertThat(WorkerMode.of(" " + mode.value().toUpperCase() + " ")).isEqualTo(mode);
    }
  }

  @Test
  void eachModeReadsItsOwnSettings() {
    DockerSettings docker =
        complete(
                Map.of(
                    "python.worker.mode", "docker",
                    "python.worker.docker.image", " worker:2 ",
                    "python.worker.docker.run-args", "--cpus;1"))
            .docker();
    assertThat(docker).isEqualTo(new DockerSettings("worker:2", java.util.List.of("--cpus", "1")));

    ExternalSettings external =
        complete(
                Map.of(
                    "python.worker.mode", "external",
                    "python.worker.external.address", "pool:1",
                    "python.worker.external.token", "secret"))
            .external();
    assertThat(external.address()).isEqualTo("pool:1");
    assertThat(external.token()).isEqualTo("secret");
    assertThat(external.runnerBindHost()).isNull();
  }

  @Test
  void anUnknownModeFailsInsteadOfFallingBackToProcess() {
    assertThatThrownBy(() -> WorkerMode.of("kubernetes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "python.worker.mode: 'kubernetes' is not supported; supported: [process, docker,"
                + " external]");
  }
}
