/**
 * The runner side of the Fn API, free of Flink: what an operator uses to run Python workers.
 *
 * <p>This package is the API: {@link dev.fnharness.harness.Workers} starts a {@link
 * dev.fnharness.harness.RemoteWorker} from a {@link dev.fnharness.harness.WorkerSpec} (with its
 * {@link dev.fnharness.harness.WorkerDependencies}) in a {@link
 * dev.fnharness.harness.environment.WorkerEnvironment}; {@link
 * dev.fnharness.harness.ProcessWorkers} is the process-mode shortcut. Failures are {@link
 * dev.fnharness.harness.WorkerStartupException}, {@link
 * dev.fnharness.harness.PythonWorkerException} (the worker's error answer) and {@link
 * dev.fnharness.harness.WorkerCrashedException}; {@link dev.fnharness.harness.WorkerNames} spells a
 * worker in every message.
 *
 * <p>The sub-packages follow the protocol (docs/protocol.md):
 *
 * <ul>
 *   <li>{@code server}: the one gRPC server per worker and its services, Provision, worker tokens,
 *       where it listens ({@code RunnerAddress}).
 *   <li>{@code rpc}: what every stream shares: the {@code worker_id} header, one worker's half of a
 *       bidirectional stream ({@code WorkerStream}), routing calls by worker.
 *   <li>{@code control}, {@code data}, {@code state}, {@code logging}, {@code artifact}: one
 *       service each, with the runner's per-worker side of it.
 *   <li>{@code bundle}: a bundle as the operator sees it ({@code ActiveBundle}, {@code
 *       BundleReceiver}) and its terminal-callback rule ({@code InFlightBundle}).
 *   <li>{@code environment}: how workers start: process, docker, external pool.
 *   <li>{@code worker}: {@code FnApiRemoteWorker}, which ties the server, the streams and the
 *       environment together and owns the failure rule.
 * </ul>
 */
package dev.fnharness.harness;
