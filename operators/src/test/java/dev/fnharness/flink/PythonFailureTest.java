package dev.fnharness.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fnharness.harness.WorkerStartupException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.JobException;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.util.SerializedThrowable;
import org.junit.jupiter.api.Test;

class PythonFailureTest {

  private static final String MESSAGE =
      "Python function 'udfs:f' failed on row 0 of the batch (args: 1): ValueError: boom\n"
          + "Traceback (most recent call last):\n"
          + "  File \"udfs.py\", line 2, in f\n"
          + "ValueError: boom\n\n"
          + "(worker 'udfs.f-0-1')";

  @Test
  void foundUnderFlinksWrappers() {
    Throwable failure =
        new JobExecutionException(
            new JobID(),
            "Job execution failed.",
            new JobException(
                "Recovery is suppressed by NoRestartBackoffTimeStrategy",
                new PythonFunctionException(MESSAGE)));

    PythonFailure found = PythonFailure.in(failure).orElseThrow();

    assertThat(found.summary())
        .isEqualTo(
            "Python function 'udfs:f' failed on row 0 of the batch (args: 1): ValueError: boom");
    assertThat(found.pythonTraceback().orElseThrow())
        .startsWith("Traceback (most recent call last):")
        .endsWith("ValueError: boom");
    assertThat(found.exceptionClass()).isEqualTo(PythonFunctionException.class.getName());
  }

  @Test
  void foundInASerializedThrowableFromACluster() {
    Throwable failure =
        new RuntimeException(
            "Job failed",
            new SerializedThrowable(
                new WorkerStartupException("Python worker 'w' could not start\nmore")));

    PythonFailure found = PythonFailure.in(failure).orElseThrow();

    assertThat(found.summary()).isEqualTo("Python worker 'w' could not start");
    assertThat(found.exceptionClass()).isEqualTo(WorkerStartupException.class.getName());
    assertThat(found.pythonTraceback()).isEmpty();
  }

  @Test
  void notOursNothing() {
    assertThat(PythonFailure.in(new RuntimeException("x", new IllegalStateException("y"))))
        .isEmpty();
  }
}
