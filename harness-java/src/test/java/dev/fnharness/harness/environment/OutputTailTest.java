package dev.fnharness.harness.environment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

public class OutputTailTest {

  @Test
  void keepsTheLastLinesAndSaysHowManyWereDropped() {
    OutputTail tail = new OutputTail(3, 1000);
    for (int i = 1; i <= 5; i++) {
      tail.add("line " + i);
    }
    assertThat(tail.text()).isEqualTo("[… 2 earlier lines omitted]\nline 3\nline 4\nline 5\n");
  }

  @Test
  void boundsCharactersAndKeepsTheEndOfAnOverlongLine() {
    OutputTail tail = new OutputTail(50, 10);
    tail.add("aaaa");
    tail.add("bbbb");
    tail.add("cccc");
    assertThat(tail.text()).endsWith("bbbb\ncccc\n").doesNotContain("aaaa");

    tail.add("0123456789XYZ");
    assertThat(tail.text()).endsWith("…456789XYZ\n");
  }

  @Test
  void emptyUntilSomethingIsAdded() {
    OutputTail tail = new OutputTail(5, 100);
    assertThat(tail.isEmpty()).isTrue();
    assertThat(tail.text()).isEmpty();
  }
}
