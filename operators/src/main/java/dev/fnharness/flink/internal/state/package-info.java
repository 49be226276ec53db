/**
 * Flink keyed state behind the worker's state requests (docs/protocol.md, "Keyed functions and
 * state"): {@link dev.fnharness.flink.internal.state.UserStateRequests} serves them on the task
 * thread alone (its comment has the thread rule), {@code UserStates} keeps the Flink states, {@code
 * StateBatches} serves the batched reads and writes, {@link
 * dev.fnharness.flink.internal.state.StateKeyCodec} names a key in bytes.
 */
package dev.fnharness.flink.internal.state;
