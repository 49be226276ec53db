/**
 * The runner side of the Fn API, free of Flink.
 *
 * <p>Public surface: {@link dev.fnharness.harness.Workers} starts a {@link
 * dev.fnharness.harness.RemoteWorker} from a {@link dev.fnharness.harness.WorkerSpec} in a {@link
 * dev.fnharness.harness.environment.WorkerEnvironment} ({@link
 * dev.fnharness.harness.environment.ProcessEnvironment}, {@link
 * dev.fnharness.harness.environment.DockerEnvironment}, {@link
 * dev.fnharness.harness.environment.ExternalEnvironment}; {@link
 * dev.fnharness.harness.ProcessWorkers} is the process-mode shortcut); bundles run through {@link
 * dev.fnharness.harness.bundle.ActiveBundle} and {@link
 * dev.fnharness.harness.bundle.BundleReceiver}; worker log records go to a {@link
 * dev.fnharness.harness.logging.LogEntrySink} (SLF4J by default).
 *
 * <p>Inside, one class per job:
 *
 * <ul>
 *   <li>gRPC: {@code FnApiServer} (the server, on loopback unless a {@code RunnerAddress} says
 *       otherwise), {@code WorkerIdInterceptor} (the {@code worker_id} header into the Context),
 *       {@code WorkerTokenInterceptor} (each worker's token, off loopback), {@code WorkerServices}
 *       (the services, routing every call by worker id), {@code ProvisionServer}, {@code
 *       ControlServer}, {@code DataServer}, {@code StateServer} (the three streams' routing shared
 *       in {@code WorkerStreamRouter}), {@code LoggingServer}, {@code ArtifactServer} (with {@code
 *       WorkerArtifacts} and {@code DirectoryZipStream}: the user's files for docker and external
 *       workers).
 *   <li>Per worker: {@code ControlClient} (instructions and their answers), {@code DataChannel}
 *       (bundle input out, output routed to its bundle), {@code StateChannel} (state requests to
 *       their bundle), all three sending through a {@code WorkerStream} (the lock around gRPC's
 *       observer, and what a closed or broken stream means), {@code InFlightBundle} (one bundle's
 *       terminal-callback rule), {@code BundleInput} (the operator's handle).
 *   <li>Process mode: {@code WorkerPackage} (the Python sources, unpacked once), {@code
 *       WorkerProcess} with {@code OutputPump}s and an {@code OutputTail}, {@code
 *       LiveWorkerProcesses} (the shutdown hook), {@code ExitCodes}, and {@code FnApiRemoteWorker},
 *       which ties them together and owns the failure rule.
 * </ul>
 */
package dev.fnharness.harness;
