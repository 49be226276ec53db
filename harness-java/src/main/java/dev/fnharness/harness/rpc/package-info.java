/**
 * The gRPC plumbing every service shares: {@link dev.fnharness.harness.rpc.WorkerIdInterceptor}
 * (the {@code worker_id} header into the call's context), {@link
 * dev.fnharness.harness.rpc.WorkerStreamRouter} (a worker's stream to the object that serves it),
 * {@link dev.fnharness.harness.rpc.WorkerStream} (the runner's half of one bidirectional stream:
 * the lock around gRPC's observer, what a closed or broken stream means) and {@link
 * dev.fnharness.harness.rpc.ConnectionLossListener}, told when a stream ends.
 */
package dev.fnharness.harness.rpc;
