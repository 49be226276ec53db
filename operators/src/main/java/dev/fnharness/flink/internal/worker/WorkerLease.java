package dev.fnharness.flink.internal.worker;

import dev.fnharness.flink.internal.config.PythonConfig;
import dev.fnharness.harness.RemoteWorker;
import java.util.function.Supplier;
import org.apache.flink.runtime.memory.MemoryManager;
import org.apache.flink.runtime.memory.OpaqueMemoryResource;

/**
 * One operator's use of a worker: a worker of its own ({@code python.worker.scope: operator}), or
 * the one the Python operators of its slot share ({@code slot}). Closing the lease closes an own
 * worker at once and a shared one when the slot's last operator lets go.
 *
 * <p>Sharing goes through the slot's {@link MemoryManager}, as PyFlink's does: its shared resources
 * are per slot, reference-counted and closed with the last lease. The worker takes no managed
 * memory, so the lease asks for zero bytes.
 */
final class WorkerLease implements AutoCloseable {

  private static final String SHARED_RESOURCE_PREFIX = "fnharness-python-worker ";

  private final RemoteWorker worker;
  private final AutoCloseable release;

  private WorkerLease(RemoteWorker worker, AutoCloseable release) {
    this.worker = worker;
    this.release = release;
  }

  static WorkerLease acquire(
      PythonConfig config,
      WorkerStarter starter,
      MemoryManager slotMemory,
      Supplier<String> workerId)
      throws Exception {
    if (!config.sharesWorkerInSlot()) {
      RemoteWorker own = starter.start(config, workerId.get());
      return new WorkerLease(own, own);
    }
    OpaqueMemoryResource<RemoteWorker> shared =
        slotMemory.getExternalSharedMemoryResource(
            SHARED_RESOURCE_PREFIX + config.workerSettingsKey(),
            bytes -> starter.start(config, "slot-" + workerId.get()),
            0);
    return new WorkerLease(shared.getResourceHandle(), shared);
  }

  RemoteWorker worker() {
    return worker;
  }

  @Override
  public void close() throws Exception {
    release.close();
  }
}
