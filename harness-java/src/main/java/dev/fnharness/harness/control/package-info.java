/**
 * The Control stream: {@link dev.fnharness.harness.control.ControlServer} takes a worker's stream,
 * {@link dev.fnharness.harness.control.ControlClient} sends its instructions and matches the
 * answers (docs/protocol.md, "Control").
 */
package dev.fnharness.harness.control;
