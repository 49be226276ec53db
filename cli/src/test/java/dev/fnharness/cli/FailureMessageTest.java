package dev.fnharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fnharness.flink.PythonFunctionException;
import dev.fnharness.harness.PythonWorkerException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.JobException;
import org.apache.flink.runtime.client.JobExecutionException;
import org.junit.jupiter.api.Test;

class FailureMessageTest {

  private static final String TRACEBACK =
      "Traceback (most recent call last):\n"
          + "  File \"udfs.py\", line 2, in f\n"
          + "    raise ValueError('boom')\n"
          + "ValueError: boom";
  private static final Throwable FAILURE =
      new JobExecutionException(
          new JobID(),
          "Job execution failed.",
          new JobException(
              "Recovery is suppressed by NoRestartBackoffTimeStrategy",
              new PythonFunctionException(
                  "Python function 'udfs:f' failed on row 0 (x=1): ValueError: boom\n"
                      + TRACEBACK
                      + "\n\n(worker 'udfs.f-0-1')",
                  new PythonWorkerException("Python function 'udfs:f' failed ..."))));

  @Test
  void bySummaryAndTracebackOnly() {
    String printed = print(FAILURE, false);

    assertThat(printed)
        .isEqualTo(
            "fnharness: the job failed: Python function 'udfs:f' failed on row 0 (x=1):"
                + " ValueError: boom\n"
                + TRACEBACK
                + "\n"
                + FailureMessage.VERBOSE_HINT
                + "\n");
  }

  @Test
  void verboseAddsTheDetailsAndTheJavaStackTrace() {
    String printed = print(FAILURE, true);

    assertThat(printed)
        .startsWith(
            "fnharness: the job failed: Python function 'udfs:f' failed on row 0 (x=1):"
                + " ValueError: boom\n"
                + TRACEBACK
                + "\n\n(worker 'udfs.f-0-1')\n")
        .contains("org.apache.flink.runtime.client.JobExecutionException: Job execution failed.")
        .contains("\tat ")
        .contains("Caused by: dev.fnharness.harness.PythonWorkerException")
        .doesNotContain(FailureMessage.VERBOSE_HINT);
  }

  @Test
  void aFailureOfAnotherKindGivesItsRootCause() {
    String printed =
        print(new RuntimeException("wrapper", new java.io.IOException("disk full\nmore")), false);

    assertThat(printed)
        .isEqualTo(
            "fnharness: the job failed: java.io.IOException: disk full\n"
                + FailureMessage.VERBOSE_HINT
                + "\n");
  }

  private static String print(Throwable failure, boolean verbose) {
    StringWriter out = new StringWriter();
    FailureMessage.print(failure, verbose, new PrintWriter(out, true));
    return out.toString();
  }
}
