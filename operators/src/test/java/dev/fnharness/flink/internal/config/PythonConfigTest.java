package dev.fnharness.flink.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

public class PythonConfigTest {

  @Test
  void defaultsAndOverrides() {
    PythonConfig config =
        PythonConfig.capture(
            Configuration.fromMap(
                Map.of(
                    "python.fn-execution.bundle.size", "10",
                    "python.fn-execution.batch.size", "1000",
                    "python.files", "a.py, dir")));

    assertThat(config.bundleSize()).isEqualTo(10);
    assertThat(config.batchSize()).as("a batch never exceeds a bundle").isEqualTo(10);
    assertThat(config.bundleTimeMillis()).isEqualTo(1000L);
    assertThat(config.workerMode()).isEqualTo(WorkerMode.PROCESS);
    assertThat(config.pythonFiles())
        .containsExactly(
            Path.of("a.py").toAbsolutePath().toString(),
            Path.of("dir").toAbsolutePath().toString());
  }

  @Test
  void capturedSettingsWinOverTheCluster() {
    PythonConfig job =
        PythonConfig.capture(Configuration.fromMap(Map.of("python.executable", "/opt/py")));
    PythonConfig merged =
        job.withFallback(
            Configuration.fromMap(
                Map.of(
                    "python.executable", "/usr/bin/python3", "python.worker.log-level", "debug")));

    assertThat(merged.pythonExecutable()).isEqualTo("/opt/py");
    assertThat(merged.workerLogLevel()).isEqualTo("DEBUG");
  }

  @Test
  void rejectsAnUnsupportedModeNamingItAndTheSupportedOnes() {
    assertThatThrownBy(
            () ->
                PythonConfig.capture(Configuration.fromMap(Map.of("python.worker.mode", "dokker"))))
        .hasMessageContaining("python.worker.mode")
        .hasMessageContaining("'dokker'")
        .hasMessageContaining("process");
  }

  @Test
  void rejectsATypoUnderOurPrefixesNamingKeyAndValue() {
    assertThatThrownBy(
            () ->
                PythonConfig.capture(
                    Configuration.fromMap(Map.of("python.fn-execution.bundel.size", "5"))))
        .hasMessageContaining("'python.fn-execution.bundel.size'")
        .hasMessageContaining("'5'")
        .hasMessageContaining("python.fn-execution.bundle.size");
  }

  @Test
  void rejectsValuesOutOfRangeOrOfTheWrongType() {
    assertThatThrownBy(
            () ->
                PythonConfig.capture(
                    Configuration.fromMap(Map.of("python.fn-execution.bundle.size", "0"))))
        .hasMessageContaining("python.fn-execution.bundle.size must be at least 1, was 0");
    assertThatThrownBy(
            () ->
                PythonConfig.capture(
                    Configuration.fromMap(Map.of("python.fn-execution.bundles-in-flight", "0"))))
        .hasMessageContaining("python.fn-execution.bundles-in-flight must be at least 1, was 0");
    assertThatThrownBy(
            () ->
                PythonConfig.capture(
                    Configuration.fromMap(Map.of("python.fn-execution.bundle.size", "many"))))
        .hasMessageContaining("python.fn-execution.bundle.size")
        .hasMessageContaining("many");
  }

  @Test
  void leavesOtherPythonKeysAlone() {
    PythonConfig config =
        PythonConfig.capture(Configuration.fromMap(Map.of("python.client.executable", "py")));
    assertThat(config.pythonExecutable()).isEqualTo("python3");
  }

  private static PythonConfig complete(Map<String, String> settings) {
    return PythonConfig.capture(Configuration.fromMap(settings)).withFallback(new Configuration());
  }

  @Test
  void dockerModeWithoutAnImageNamesTheMissingKey() {
    assertThatThrownBy(() -> complete(Map.of("python.worker.mode", "docker")))
        .hasMessageContaining("python.worker.mode is 'docker'")
        .hasMessageContaining("python.worker.docker.image is not set");
  }

  @Test
  void externalModeWithoutAnAddressNamesTheMissingKey() {
    assertThatThrownBy(() -> complete(Map.of("python.worker.mode", "External")))
        .hasMessageContaining("python.worker.mode is 'external'")
        .hasMessageContaining("python.worker.external.address is not set");
  }

  @Test
  void theImageMayComeFromTheClusterConfiguration() {
    PythonConfig job =
        PythonConfig.capture(Configuration.fromMap(Map.of("python.worker.mode", "docker")));
    PythonConfig merged =
        job.withFallback(
            Configuration.fromMap(
                Map.of(
                    "python.worker.docker.image", "worker:1",
                    "python.worker.docker.run-args", "-e;A=b c;--cpus;1")));

    assertThat(merged.docker().image()).isEqualTo("worker:1");
    assertThat(merged.docker().runArgs()).containsExactly("-e", "A=b c", "--cpus", "1");
  }

  @Test
  void requirementsAndArchivesBecomeAbsoluteAndNamed() {
    PythonConfig config =
        complete(
            Map.of(
                "python.requirements", "req.txt#wheels",
                "python.archives", "model.zip, data/set.tar.gz#d"));

    assertThat(config.requirements().file())
        .isEqualTo(Path.of("req.txt").toAbsolutePath().toString());
    assertThat(config.requirements().findLinks())
        .isEqualTo(Path.of("wheels").toAbsolutePath().toString());
    assertThat(config.archives())
        .extracting(a -> a.path() + "=" + a.name())
        .containsExactly(
            Path.of("model.zip").toAbsolutePath() + "=model",
            Path.of("data/set.tar.gz").toAbsolutePath() + "=d");
  }

  @Test
  void requirementsWithoutAWheelDirectoryAreRejected() {
    assertThatThrownBy(() -> complete(Map.of("python.requirements", "req.txt")))
        .hasMessageContaining("python.requirements")
        .hasMessageContaining("'requirements.txt#wheel_dir'");
  }

  @Test
  void scopeAndTokenSettingsAreChecked() {
    assertThatThrownBy(() -> complete(Map.of("python.worker.scope", "task")))
        .hasMessageContaining("python.worker.scope: 'task' is not supported")
        .hasMessageContaining("[operator, slot]");
    assertThatThrownBy(
            () ->
                complete(
                    Map.of(
                        "python.worker.external.token", "a",
                        "python.worker.external.token-file", "/t")))
        .hasMessageContaining("Set only one of python.worker.external.token and");
  }

  @Test
  void workersAreSharedOnlyBetweenEqualWorkerSettings() {
    PythonConfig a = complete(Map.of("python.fn-execution.bundle.size", "5"));
    PythonConfig b = complete(Map.of("python.fn-execution.bundle.size", "7"));
    PythonConfig c = complete(Map.of("python.executable", "/other/python"));

    assertThat(a.workerSettingsKey()).isEqualTo(b.workerSettingsKey());
    assertThat(a.workerSettingsKey()).isNotEqualTo(c.workerSettingsKey());
  }
}
