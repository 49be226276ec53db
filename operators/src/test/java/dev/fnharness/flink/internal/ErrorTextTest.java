package dev.fnharness.flink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorTextTest {

  private static final String FAILED_ON_A_ROW =
      "Python function 'udfs:f' failed on row 3 of the batch (args: 7):\n"
          + "Traceback (most recent call last):\n"
          + "  File \"/w/udfs.py\", line 4, in f\n"
          + "    raise ValueError(\"boom %s\" % x)\n"
          + "ValueError: boom 7\n";

  @Test
  void aSummaryEndingInAColonGetsTheExceptionPythonRaised() {
    assertThat(ErrorText.summary(FAILED_ON_A_ROW))
        .isEqualTo(
            "Python function 'udfs:f' failed on row 3 of the batch (args: 7): ValueError: boom 7");
    assertThat(ErrorText.summary("Cannot load Python function 'm:f': AttributeError: no f\nmore"))
        .isEqualTo("Cannot load Python function 'm:f': AttributeError: no f");
  }

  @Test
  void theTracebackEndsWithItsExceptionAndKeepsChainedOnes() {
    String text =
        "Cannot load Python function 'm:f': ValueError: second\n"
            + "python.files: []\n\n"
            + "Traceback (most recent call last):\n"
            + "  File \"m.py\", line 1, in <module>\n"
            + "KeyError: 'first'\n\n"
            + "During handling of the above exception, another exception occurred:\n\n"
            + "Traceback (most recent call last):\n"
            + "  File \"m.py\", line 3, in <module>\n"
            + "    raise ValueError('second')\n"
            + "ValueError: second\n\n"
            + "(worker 'm.f-0-1')";

    assertThat(ErrorText.traceback(text))
        .hasValue(
            text.substring(text.indexOf("Traceback"), text.indexOf("ValueError: second\n\n") + 18));
    assertThat(
            ErrorText.summary(
                "Python function 'm:f' failed:\n" + text.substring(text.indexOf("Traceback"))))
        .isEqualTo("Python function 'm:f' failed: ValueError: second");
  }

  @Test
  void noTracebackNoExceptionLine() {
    assertThat(ErrorText.traceback("Python worker 'w' exited with exit code 3")).isEmpty();
    assertThat(ErrorText.summary("Python worker 'w' exited:\nOutput (last lines):\nbye"))
        .isEqualTo("Python worker 'w' exited:");
  }

  @Test
  void composeSkipsWhatIsEmpty() {
    assertThat(ErrorText.compose("summary", "", "(note)")).isEqualTo("summary\n(note)");
    assertThat(ErrorText.compose("summary", "details\n", "")).isEqualTo("summary\ndetails");
    assertThat(ErrorText.compose("summary", "details\n", "(note)"))
        .isEqualTo("summary\ndetails\n\n(note)");
  }
}
