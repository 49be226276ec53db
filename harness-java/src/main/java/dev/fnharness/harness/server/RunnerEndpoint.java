package dev.fnharness.harness.server;

import java.util.Objects;

/**
 * What a worker needs to reach the runner: the address of its services and, when the runner is
 * reachable beyond loopback, the token it must send on every call.
 *
 * @param url {@code host:port} of every Fn API service, Provision first
 * @param workerToken the value of the {@code fnharness-worker-token} header, or {@code null} when
 *     the runner is on loopback and needs none
 */
public record RunnerEndpoint(String url, String workerToken) {

  public RunnerEndpoint {
    Objects.requireNonNull(url, "url");
  }

  /** Never shows the token: this goes into logs and errors. */
  @Override
  public String toString() {
    return url + (workerToken == null ? "" : " (token required)");
  }
}
