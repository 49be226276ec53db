/**
 * The State stream: {@link dev.fnharness.harness.state.StateServer} takes a worker's stream, {@link
 * dev.fnharness.harness.state.StateChannel} hands each request to its bundle's receiver and sends
 * the answers back (docs/protocol.md, "Keyed functions and state").
 */
package dev.fnharness.harness.state;
