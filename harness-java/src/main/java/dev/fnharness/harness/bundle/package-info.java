/**
 * One bundle between the operator and the worker: {@link dev.fnharness.harness.bundle.ActiveBundle}
 * (send input, mark its end), {@link dev.fnharness.harness.bundle.BundleReceiver} (output,
 * completion, failure and state requests, on gRPC threads) and {@link
 * dev.fnharness.harness.bundle.InFlightBundle}, which makes sure a receiver hears exactly one
 * terminal callback, last.
 */
package dev.fnharness.harness.bundle;
