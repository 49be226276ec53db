package dev.fnharness.flink.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class PythonConfigTest {

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
    assertThat(config.workerMode()).isEqualTo("process");
    assertThat(config.pythonFiles())
        .containsExactly(
            Path.of("a.py").toAbsolutePath().toString(), Path.of("dir").toAbsolutePath().toString());
  }

  @Test
  void capturedSettingsWinOverTheCluster() {
    PythonConfig job =
        PythonConfig.capture(Configuration.fromMap(Map.of("python.executable", "/opt/py")));
    PythonConfig merged =
        job.withFallback(
            Configuration.fromMap(
                Map.of("python.executable", "/usr/bin/python3", "python.worker.log-level", "debug")));

    assertThat(merged.pythonExecutable()).isEqualTo("/opt/py");
    assertThat(merged.workerLogLevel()).isEqualTo("DEBUG");
  }

  @Test
  void rejectsAnUnsupportedModeNamingItAndTheSupportedOnes() {
    assertThatThrownBy(
            () -> PythonConfig.capture(Configuration.fromMap(Map.of("python.worker.mode", "dokker"))))
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
}
