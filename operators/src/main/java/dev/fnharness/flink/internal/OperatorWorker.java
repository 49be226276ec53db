package dev.fnharness.flink.internal;

import dev.fnharness.flink.PythonFunctionException;
import dev.fnharness.harness.ActiveBundle;
import dev.fnharness.harness.BundleReceiver;
import dev.fnharness.harness.PythonWorkerException;
import dev.fnharness.harness.RemoteWorker;
import java.util.UUID;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleDescriptor;
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
final class OperatorWorker implements AutoCloseable {

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
   * @param functionReference the first function's {@code module:qualname}, which names the worker
   * @param describe how errors name the functions, e.g. "Python function 'udfs:f'"
   */
  static OperatorWorker open(
      AbstractStreamOperator<?> operator,
      String functionReference,
      String describe,
      PythonConfig jobOptions,
      ShippedPythonFiles shippedFiles,
      ProcessBundleDescriptor descriptor)
      throws Exception {
    Environment task = operator.getContainingTask().getEnvironment();
    Configuration clusterAndJob = new Configuration(task.getTaskManagerInfo().getConfiguration());
    clusterAndJob.addAll(operator.getRuntimeContext().getJobConfiguration());
    PythonConfig options =
        ExternalRunner.withTaskManagerHost(
            jobOptions.withFallback(clusterAndJob),
            task.getTaskManagerInfo().getTaskManagerExternalAddress());

    String workerId =
        workerId(
            functionReference, operator.getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
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

    WorkerLease lease = WorkerLease.acquire(options, task.getMemoryManager(), () -> workerId);
    OperatorWorker opened =
        new OperatorWorker(describe, descriptor.getId(), options, lease, ownLinks);
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
  PythonConfig options() {
    return options;
  }

  /** Starts a bundle of the descriptor {@link #open} registered. */
  ActiveBundle startBundle(String transformId, BundleReceiver output) {
    return worker().startBundle(descriptorId, transformId, output);
  }

  /**
   * What the task fails with when a bundle failed: in Python (the worker's text names the function,
   * the row and what Python raised) or otherwise (the worker died, a call failed).
   */
  RuntimeException bundleFailed(Throwable cause) {
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
  PythonFunctionException misbehaved(String what) {
    return new PythonFunctionException(misbehavedMessage(what));
  }

  PythonFunctionException misbehaved(String what, Throwable cause) {
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
