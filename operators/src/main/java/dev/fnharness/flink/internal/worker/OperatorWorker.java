package dev.fnharness.flink.internal.worker;

import dev.fnharness.flink.PythonFunctionException;
import dev.fnharness.flink.internal.ErrorText;
import dev.fnharness.flink.internal.config.ExternalRunner;
import dev.fnharness.flink.internal.config.PythonConfig;
import dev.fnharness.flink.internal.plan.TransformDescriptor;
import dev.fnharness.flink.internal.plan.TransformPlan;
import dev.fnharness.harness.PythonWorkerException;
import dev.fnharness.harness.RemoteWorker;
import dev.fnharness.harness.bundle.ActiveBundle;
import dev.fnharness.harness.bundle.BundleReceiver;
import dev.fnharness.proto.OperatorInfo;
import java.util.Locale;
import java.util.UUID;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleDescriptor;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;

/**
 * The worker one Python operator talks to, from its settings to a registered descriptor: the job's
 * python.* options over the cluster's, python.files taken from the distributed cache, a worker of
 * its own or its slot's ({@link WorkerLease}), and the descriptor registered with a clear error
 * when the functions cannot be loaded. Every Python operator opens one; closing it releases the
 * worker and the links it made. Errors about the worker name the functions and the worker the same
 * way for every operator.
 */
@Internal
public final class OperatorWorker implements AutoCloseable {

  private final String describe;
  private final String descriptorId;
  private final PythonConfig options;
  private final WorkerLease lease;
  private final LocalFileLinks ownLinks;

  private OperatorWorker(
      String describe,
      String descriptorId,
      PythonConfig options,
      WorkerLease lease,
      LocalFileLinks ownLinks) {
    this.describe = describe;
    this.descriptorId = descriptorId;
    this.options = options;
    this.lease = lease;
    this.ownLinks = ownLinks;
  }

  /**
   * Settles the operator's settings, leases its worker and registers the plan's descriptor with the
   * operator's {@link OperatorInfo}.
   *
   * @throws PythonFunctionException naming the functions when the worker cannot load them
   */
  public static OperatorWorker open(
      AbstractStreamOperator<?> operator, TransformPlan plan, WorkerSetup setup) throws Exception {
    Environment task = operator.getContainingTask().getEnvironment();
    Configuration clusterAndJob = new Configuration(task.getTaskManagerInfo().getConfiguration());
    clusterAndJob.addAll(operator.getRuntimeContext().getJobConfiguration());
    PythonConfig options =
        ExternalRunner.withTaskManagerHost(
            setup.jobOptions().withFallback(clusterAndJob),
            task.getTaskManagerInfo().getTaskManagerExternalAddress());

    TaskInfo taskInfo = operator.getRuntimeContext().getTaskInfo();
    String workerId = workerId(plan.functionReferences().get(0), taskInfo.getIndexOfThisSubtask());
    ShippedPythonFiles shippedFiles = setup.shippedFiles();
    LocalFileLinks ownLinks = null;
    if (!shippedFiles.isEmpty()) {
      // Operators that share a slot's worker must see the same paths, or their settings differ
      // and each gets a worker of its own; such links stay until Flink clears its tmp dirs.
      boolean shared = options.sharesWorkerInSlot();
      LocalFileLinks links =
          shared
              ? LocalFileLinks.sharedByJob(task, shippedFiles)
              : LocalFileLinks.ownedBy(task, workerId);
      options =
          options.withPythonFiles(
              shippedFiles.localize(
                  operator.getRuntimeContext().getDistributedCache(), links.directory()));
      ownLinks = shared ? null : links;
    }

    WorkerLease lease =
        WorkerLease.acquire(options, setup.starter(), task.getMemoryManager(), () -> workerId);
    // Unique among the operators that may share this worker.
    String descriptorId =
        plan.kind().name().toLowerCase(Locale.ROOT) + "-" + operator.getOperatorID();
    ProcessBundleDescriptor descriptor =
        TransformDescriptor.of(
            plan, descriptorId, operatorInfo(taskInfo, operator.getRuntimeContext()));
    String describe = plan.describe();
    OperatorWorker opened = new OperatorWorker(describe, descriptorId, options, lease, ownLinks);
    try {
      opened.worker().register(descriptor, options.startupTimeout());
    } catch (PythonWorkerException e) {
      opened.close();
      // The worker's text names the function and what is wrong in its first line.
      throw new PythonFunctionException(
          ErrorText.compose(
              ErrorText.summary(e.getMessage()),
              ErrorText.afterFirstLine(e.getMessage()),
              "(worker '"
                  + opened.worker().workerId()
                  + "'"
                  + (shippedFiles.isEmpty()
                      ? ""
                      : "; python.files were shipped from the client: " + shippedFiles)
                  + ")"),
          e);
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
    return opened;
  }

  /** What the worker tells the functions about this operator instance. */
  private static OperatorInfo operatorInfo(TaskInfo task, RuntimeContext context) {
    OperatorInfo.Builder info =
        OperatorInfo.newBuilder()
            .setTaskName(task.getTaskNameWithSubtasks())
            .setSubtaskIndex(task.getIndexOfThisSubtask())
            .setParallelism(task.getNumberOfParallelSubtasks())
            .setMaxParallelism(task.getMaxNumberOfParallelSubtasks())
            .setAttemptNumber(task.getAttemptNumber());
    // A protobuf map holds no nulls; a parameter without a value is left out.
    context
        .getGlobalJobParameters()
        .forEach(
            (key, value) -> {
              if (key != null && value != null) {
                info.putJobParameters(key, value);
              }
            });
    return info.build();
  }

  /** E.g. {@code udfs.add_one-1-3f2a9c01}: the function, the subtask, a unique suffix. */
  private static String workerId(String functionReference, int subtask) {
    String function = functionReference.replace(':', '.').replaceAll("[^A-Za-z0-9_.-]+", "_");
    return function.substring(0, Math.min(function.length(), 40))
        + "-"
        + subtask
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  RemoteWorker worker() {
    return lease.worker();
  }

  /** The settings in force: job over cluster, python.files as this TaskManager sees them. */
  public PythonConfig options() {
    return options;
  }

  /** Starts a bundle of the descriptor {@link #open} registered. */
  public ActiveBundle startBundle(BundleReceiver output) {
    return worker().startBundle(descriptorId, TransformDescriptor.TRANSFORM_ID, output);
  }

  /**
   * What the task fails with when a bundle failed: in Python (the worker's text names the function,
   * the row and what Python raised) or otherwise (the worker died, a call failed).
   */
  public RuntimeException bundleFailed(Throwable cause) {
    String text = String.valueOf(cause.getMessage());
    String note = "(worker '" + worker().workerId() + "')";
    if (cause instanceof PythonWorkerException) {
      return new PythonFunctionException(
          ErrorText.compose(ErrorText.summary(text), ErrorText.afterFirstLine(text), note), cause);
    }
    return new PythonFunctionException(
        ErrorText.compose(
            describe + " failed: " + ErrorText.firstLine(text), ErrorText.afterFirstLine(text), ""),
        cause);
  }

  /** What the task fails with when the worker broke the protocol, e.g. sent too many results. */
  public PythonFunctionException misbehaved(String what) {
    return new PythonFunctionException(misbehavedMessage(what));
  }

  public PythonFunctionException misbehaved(String what, Throwable cause) {
    return new PythonFunctionException(misbehavedMessage(what), cause);
  }

  private String misbehavedMessage(String what) {
    return describe + ": worker '" + worker().workerId() + "' " + what;
  }

  /** Never throws: a worker that will not stop cleanly is killed by the harness. */
  @Override
  public void close() {
    try {
      lease.close();
    } catch (Exception e) {
      // the lease closes the worker, which does not throw; nothing is left to release
    } finally {
      if (ownLinks != null) {
        ownLinks.delete();
      }
    }
  }
}
