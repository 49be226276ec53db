/**
 * How workers start: {@link dev.fnharness.harness.environment.WorkerEnvironment} and its three
 * modes, {@link dev.fnharness.harness.environment.ProcessEnvironment} (a child process, from the
 * unpacked {@link dev.fnharness.harness.environment.WorkerPackage}), {@link
 * dev.fnharness.harness.environment.DockerEnvironment} (a container run by the docker client) and
 * {@link dev.fnharness.harness.environment.ExternalEnvironment} (a worker of a pool). What a
 * started one looks like to the runner is a {@link
 * dev.fnharness.harness.environment.LaunchedWorker}: {@code WorkerProcess} with its {@code
 * OutputPump}s and {@code OutputTail}, {@code DockerContainer}, {@code PoolWorker}. {@code
 * LiveWorkerProcesses} and {@code LiveContainers} end what is left when the JVM exits; {@code
 * ExitCodes} names exit codes and signals.
 */
package dev.fnharness.harness.environment;
