package dev.fnharness.harness.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

public class RunnerAddressTest {

  @Test
  void loopbackIsDialledAsItself() {
    assertThat(RunnerAddress.loopback().loopbackOnly()).isTrue();
    assertThat(RunnerAddress.of("127.0.0.1", null).endpoint(5)).isEqualTo("127.0.0.1:5");
    assertThat(RunnerAddress.of("::1", null).loopbackOnly()).isTrue();
    assertThat(RunnerAddress.of("::1", null).endpoint(5)).isEqualTo("[0:0:0:0:0:0:0:1]:5");
  }

  @Test
  void allInterfacesAreDialledAtTheNamedHostAndNeedOne() {
    RunnerAddress all = RunnerAddress.of("0.0.0.0", "tm1.example");
    assertThat(all.loopbackOnly()).isFalse();
    assertThat(all.endpoint(5)).isEqualTo("tm1.example:5");
    assertThat(RunnerAddress.of("[::]", "[fd00::7]").endpoint(5)).isEqualTo("[fd00::7]:5");
    assertThat(RunnerAddress.of("::", "fd00::7").endpoint(5)).isEqualTo("[fd00::7]:5");
    assertThatThrownBy(() -> RunnerAddress.of("0.0.0.0", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'0.0.0.0' means all interfaces");
  }

  @Test
  void aBindHostThatDoesNotResolveIsNamed() {
    assertThatThrownBy(() -> RunnerAddress.of("no-such-host.invalid", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'no-such-host.invalid' does not resolve");
  }
}
