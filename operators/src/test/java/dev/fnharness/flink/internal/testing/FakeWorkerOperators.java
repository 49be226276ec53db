package dev.fnharness.flink.internal.testing;

import dev.fnharness.flink.internal.config.PythonConfig;
import dev.fnharness.flink.internal.plan.TransformPlan;
import dev.fnharness.flink.internal.worker.ShippedPythonFiles;
import dev.fnharness.flink.internal.worker.WorkerSetup;
import dev.fnharness.harness.testing.FakeWorker;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.types.Row;

/** Operators of a plan whose worker is a {@link FakeWorker}, and what their tests share. */
public final class FakeWorkerOperators {

  private FakeWorkerOperators() {}

  /**
   * The plan's operator, leasing {@code worker}.
   *
   * @param keysAndValues python.* settings, e.g. "python.fn-execution.bundle.size", "3"
   */
  public static OneInputStreamOperator<Row, Row> operator(
      TransformPlan plan, FakeWorker worker, String... keysAndValues) {
    Map<String, String> settings = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      settings.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    PythonConfig config = PythonConfig.capture(Configuration.fromMap(settings));
    return plan.newOperator(
        new WorkerSetup(config, ShippedPythonFiles.none(), (complete, workerId) -> worker));
  }

  /**
   * Runs the mail the task's mailbox holds, as the task thread does between records: the operator
   * emits there what came back while no row arrived.
   */
  public static void runMail(AbstractStreamOperatorTestHarness<?> harness) throws Exception {
    Optional<Mail> mail;
    while ((mail = harness.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY)).isPresent()) {
      mail.get().run();
    }
  }
}
