package dev.fnharness.flink.internal.worker;

import dev.fnharness.flink.internal.config.PythonConfig;
import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.annotation.Internal;

/**
 * How an operator gets its worker, decided when the job is built: the job's {@code python.*}
 * settings, the python.files it ships to the TaskManagers, and what starts the worker.
 *
 * @param jobOptions the job's settings; the cluster's complete them when the operator opens
 * @param shippedFiles python.files in the distributed cache, or none
 * @param starter what starts the worker, {@link WorkerStarter#BY_MODE} in jobs
 */
@Internal
public record WorkerSetup(
    PythonConfig jobOptions, ShippedPythonFiles shippedFiles, WorkerStarter starter)
    implements Serializable {

  public WorkerSetup {
    Objects.requireNonNull(jobOptions, "jobOptions");
    Objects.requireNonNull(shippedFiles, "shippedFiles");
    Objects.requireNonNull(starter, "starter");
  }

  /** Workers as {@code python.worker.mode} says. */
  public static WorkerSetup of(PythonConfig jobOptions, ShippedPythonFiles shippedFiles) {
    return new WorkerSetup(jobOptions, shippedFiles, WorkerStarter.BY_MODE);
  }
}
