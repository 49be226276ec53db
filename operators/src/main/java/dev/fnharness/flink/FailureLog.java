package dev.fnharness.flink;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.JobListener;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs fnharness's summary of a failed job, at ERROR, when {@code execute()} fails: the exception
 * it then throws starts with Flink's wrappers ("Job execution failed.", "Recovery is suppressed
 * ...") and carries the summary a hundred lines further down.
 */
final class FailureLog implements JobListener {

  private static final Logger LOG = LoggerFactory.getLogger(PythonFunctions.class);

  /** Once per environment, however many Python operators the job has. */
  static void registerWith(StreamExecutionEnvironment env) {
    if (env.getJobListeners().stream().noneMatch(FailureLog.class::isInstance)) {
      env.registerJobListener(new FailureLog());
    }
  }

  @Override
  public void onJobSubmitted(JobClient jobClient, Throwable throwable) {}

  @Override
  public void onJobExecuted(JobExecutionResult result, Throwable throwable) {
    if (throwable == null) {
      return;
    }
    PythonFailure.in(throwable)
        .ifPresent(
            failure ->
                LOG.error(
                    "fnharness: the job failed: {}{}",
                    failure.summary(),
                    failure.pythonTraceback().map(t -> "\n" + t).orElse("")));
  }
}
