/**
 * An operator's worker: {@link dev.fnharness.flink.internal.worker.OperatorWorker} settles the
 * settings at run time, localizes {@link dev.fnharness.flink.internal.worker.ShippedPythonFiles}
 * ({@code LocalFileLinks}), leases a worker of its own or its slot's ({@code WorkerLease}) from a
 * {@link dev.fnharness.flink.internal.worker.WorkerStarter} ({@link
 * dev.fnharness.flink.internal.worker.WorkerSetup} says which) and registers the plan.
 */
package dev.fnharness.flink.internal.worker;
