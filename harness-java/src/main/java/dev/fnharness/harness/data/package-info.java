/**
 * The Data stream: {@link dev.fnharness.harness.data.DataServer} takes a worker's stream, {@link
 * dev.fnharness.harness.data.DataChannel} sends bundle input and routes output to its bundle, and
 * {@link dev.fnharness.harness.data.BundleInput} is the operator's handle on one bundle's input
 * (docs/protocol.md, "Data").
 */
package dev.fnharness.harness.data;
