package dev.fnharness.flink.internal.bundles;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.util.function.ThrowingRunnable;

/**
 * Lets a gRPC thread have the task thread run an operator's action soon, e.g. emit results that
 * came back while no input arrived. The action goes through the task's mailbox, so it runs on the
 * task thread between records; at most one is pending at a time, however often it is asked for.
 */
final class TaskThreadWakeUp implements Runnable {

  private final MailboxExecutor mailbox;
  private final ThrowingRunnable<? extends Exception> action;
  private final String description;
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** Call from the operator's open(), on the task thread. */
  public TaskThreadWakeUp(
      AbstractStreamOperator<?> operator,
      ThrowingRunnable<? extends Exception> action,
      String description) {
    this.mailbox =
        operator
            .getContainingTask()
            .getMailboxExecutorFactory()
            .createExecutor(operator.getOperatorConfig().getChainIndex());
    this.action = action;
    this.description = description;
  }

  /** Any thread. */
  @Override
  public void run() {
    if (!scheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      mailbox.execute(
          () -> {
            scheduled.set(false);
            action.run();
          },
          description);
    } catch (RejectedExecutionException e) {
      // The task is ending; nobody waits for what the action would do.
    }
  }
}
