package dev.fnharness.harness;

import dev.fnharness.harness.bundle.ActiveBundle;
import dev.fnharness.harness.bundle.BundleReceiver;
import java.time.Duration;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.ProcessBundleDescriptor;

/**
 * One started Python worker, seen from the runner: register descriptors, run bundles, close.
 *
 * <p>Thread rules: {@link #register} and {@link #startBundle} are called from one thread (the
 * operator's task thread). {@link BundleReceiver} callbacks arrive on gRPC threads.
 */
public interface RemoteWorker extends AutoCloseable {

  String workerId();

  /**
   * Registers a descriptor and waits for the worker's answer.
   *
   * @throws PythonWorkerException with the worker's error text (e.g. a missing module)
   * @throws WorkerCrashedException if the worker died or did not answer within {@code timeout}
   */
  void register(ProcessBundleDescriptor descriptor, Duration timeout);

  /**
   * Starts a bundle on a registered descriptor. Input goes through the returned handle; output,
   * completion and failure reach {@code receiver}. Several bundles may be in flight.
   */
  ActiveBundle startBundle(String descriptorId, String transformId, BundleReceiver receiver);

  /**
   * Stops the worker and releases everything it holds (process, streams, server). Idempotent; fails
   * every bundle still in flight. Never throws.
   */
  @Override
  void close();
}
