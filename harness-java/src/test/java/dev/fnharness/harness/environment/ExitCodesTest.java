package dev.fnharness.harness.environment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

public class ExitCodesTest {

  @Test
  void namesTheSignalOfAKilledProcess() {
    assertThat(ExitCodes.describe(137)).isEqualTo("exit code 137 (killed by signal 9 (SIGKILL))");
    assertThat(ExitCodes.describe(139)).contains("signal 11 (SIGSEGV)");
    assertThat(ExitCodes.describe(128 + 40)).contains("signal 40 (SIG40)");
  }

  @Test
  void plainCodesStayPlain() {
    assertThat(ExitCodes.describe(0)).isEqualTo("exit code 0");
    assertThat(ExitCodes.describe(1)).isEqualTo("exit code 1");
    assertThat(ExitCodes.describe(128)).isEqualTo("exit code 128");
  }
}
