/**
 * The gRPC server a worker talks to (docs/protocol.md, "Start-up", "Worker tokens"): {@link
 * dev.fnharness.harness.server.FnApiServer} (loopback unless a {@link
 * dev.fnharness.harness.server.RunnerAddress} says otherwise), {@link
 * dev.fnharness.harness.server.WorkerServices} (every service on it, routed by worker id), {@link
 * dev.fnharness.harness.server.ProvisionServer} (what a worker learns first), {@link
 * dev.fnharness.harness.server.WorkerTokenInterceptor} (each worker's token, off loopback) and
 * {@link dev.fnharness.harness.server.RunnerEndpoint} (what a launched worker is told).
 */
package dev.fnharness.harness.server;
