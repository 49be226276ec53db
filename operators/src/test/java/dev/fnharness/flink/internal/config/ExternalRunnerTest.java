package dev.fnharness.flink.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fnharness.harness.environment.ExternalEnvironment;
import dev.fnharness.harness.server.RunnerAddress;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** {@code python.worker.external.runner-bind-host} and {@code runner-host}: checks and defaults. */
public class ExternalRunnerTest {

  private static PythonConfig external(String... keysAndValues) {
    Map<String, String> settings = new HashMap<>();
    settings.put("python.worker.mode", "external");
    settings.put("python.worker.external.address", "pool.example:5000");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      settings.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return PythonConfig.capture(Configuration.fromMap(settings)).withFallback(new Configuration());
  }

  @Test
  void withoutABindHostTheRunnerStaysOnLoopback() {
    RunnerAddress address = ExternalRunner.address(external());
    assertThat(address.loopbackOnly()).isTrue();
    PythonConfig loopback = external();
    assertThat(loopback.workerMode().environment(loopback).runnerAddress().loopbackOnly()).isTrue();
  }

  @Test
  void aBindHostOthersReachNeedsThePoolToken() {
    assertThatThrownBy(() -> external("python.worker.external.runner-bind-host", "0.0.0.0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("python.worker.external.runner-bind-host is '0.0.0.0'")
        .hasMessageContaining("python.worker.external.token")
        .hasMessageContaining("python.worker.external.token-file");
    // A loopback bind host needs none, and a token file counts as a token.
    external("python.worker.external.runner-bind-host", "127.0.0.1");
    external(
        "python.worker.external.runner-bind-host", "0.0.0.0",
        "python.worker.external.token-file", "/etc/pool-token",
        "python.worker.external.runner-host", "tm1.example");
  }

  @Test
  void aBindHostThatDoesNotResolveIsNamed() {
    assertThatThrownBy(
            () ->
                external(
                    "python.worker.external.runner-bind-host", "no-such-host.invalid",
                    "python.worker.external.token", "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("python.worker.external.runner-bind-host")
        .hasMessageContaining("'no-such-host.invalid' does not resolve");
  }

  @Test
  void otherModesIgnoreTheKeys() {
    PythonConfig process =
        PythonConfig.capture(
                Configuration.fromMap(
                    Map.of("python.worker.external.runner-bind-host", "no-such-host.invalid")))
            .withFallback(new Configuration());
    assertThat(process.workerMode()).isEqualTo(WorkerMode.PROCESS);
  }

  @Test
  void allInterfacesWithoutARunnerHostNamesBothKeys() {
    PythonConfig config =
        external(
            "python.worker.external.runner-bind-host", "0.0.0.0",
            "python.worker.external.token", "t");
    assertThatThrownBy(() -> config.workerMode().environment(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "python.worker.external.runner-bind-host is '0.0.0.0', all interfaces")
        .hasMessageContaining("set python.worker.external.runner-host");
  }

  @Test
  void allInterfacesAreDialledAtTheTaskManagersAddressUnlessARunnerHostIsSet() {
    PythonConfig wildcard =
        external(
            "python.worker.external.runner-bind-host", "0.0.0.0",
            "python.worker.external.token", "t");
    PythonConfig completed = ExternalRunner.withTaskManagerHost(wildcard, "tm7.example");
    assertThat(completed.external().runnerHost()).isEqualTo("tm7.example");
    ExternalEnvironment environment =
        (ExternalEnvironment) completed.workerMode().environment(completed);
    assertThat(environment.runnerAddress().loopbackOnly()).isFalse();
    assertThat(environment.runnerAddress()).hasToString("0.0.0.0 (dialled as tm7.example)");

    PythonConfig named =
        external(
            "python.worker.external.runner-bind-host", "0.0.0.0",
            "python.worker.external.token", "t",
            "python.worker.external.runner-host", "tm1.example");
    assertThat(ExternalRunner.withTaskManagerHost(named, "tm7.example").external().runnerHost())
        .isEqualTo("tm1.example");

    // A bind host of one address is dialled as itself, not as the TaskManager's address.
    PythonConfig one = external("python.worker.external.runner-bind-host", "127.0.0.1");
    assertThat(ExternalRunner.withTaskManagerHost(one, "tm7.example").external().runnerHost())
        .isNull();
    assertThat(
            ExternalRunner.withTaskManagerHost(external(), "tm7.example").external().runnerHost())
        .isNull();
    assertThat(ExternalRunner.withTaskManagerHost(wildcard, "").external().runnerHost())
        .as("a TaskManager without an external address gives no default")
        .isNull();
  }
}
