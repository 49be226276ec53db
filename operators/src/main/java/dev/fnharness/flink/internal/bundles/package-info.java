/**
 * What every Python operator does with its bundles, held by the operator rather than inherited:
 * {@link dev.fnharness.flink.internal.bundles.OperatorRuntime} (worker, bundles, the bodies of
 * finish, end of input, checkpoint barrier and close) over {@link
 * dev.fnharness.flink.internal.bundles.BundleLifecycle} (the open bundle and those in flight,
 * output in bundle order), {@link dev.fnharness.flink.internal.bundles.OutputBundle} (gRPC threads
 * to the task thread) and {@code TaskThreadWakeUp} (the mailbox, when results arrive while idle).
 */
package dev.fnharness.flink.internal.bundles;
