package dev.fnharness.harness.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Where the runner's gRPC server listens, and the host its workers dial. The default, loopback,
 * admits only this machine's processes. Any other address lets other machines reach the server, so
 * it then admits only calls that carry their worker's token ({@link WorkerTokenInterceptor}).
 */
public final class RunnerAddress {

  private static final RunnerAddress LOOPBACK =
      new RunnerAddress(InetAddress.getLoopbackAddress(), null);

  private final InetAddress bind;

  /** {@code null}: workers dial the bound address itself. */
  private final String dialHost;

  private RunnerAddress(InetAddress bind, String dialHost) {
    this.bind = bind;
    this.dialHost = dialHost;
  }

  /** On loopback, as in process and docker mode: only this machine's processes reach it. */
  public static RunnerAddress loopback() {
    return LOOPBACK;
  }

  /**
   * @param bindHost the address to listen on: a host name (its first address is used) or an
   *     address; {@code 0.0.0.0} or {@code ::} for all interfaces
   * @param dialHost the host workers dial; {@code null} to dial the bound address, which a wildcard
   *     {@code bindHost} cannot be
   * @throws IllegalArgumentException naming the value when {@code bindHost} does not resolve or a
   *     wildcard comes without a {@code dialHost}
   */
  public static RunnerAddress of(String bindHost, String dialHost) {
    Objects.requireNonNull(bindHost, "bindHost");
    InetAddress bind;
    try {
      bind = InetAddress.getByName(stripBrackets(bindHost.trim()));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "the runner's bind host '" + bindHost + "' does not resolve on this machine", e);
    }
    String dial = dialHost == null || dialHost.isBlank() ? null : dialHost.trim();
    if (bind.isAnyLocalAddress() && dial == null) {
      throw new IllegalArgumentException(
          "the runner's bind host '"
              + bindHost
              + "' means all interfaces, which workers cannot dial: name the host they should"
              + " dial to reach this machine");
    }
    return new RunnerAddress(bind, dial);
  }

  /** Whether only this machine can reach the server, so it needs no tokens. */
  public boolean loopbackOnly() {
    return bind.isLoopbackAddress();
  }

  /** Port 0: every server gets a free port, as each worker has its own server. */
  InetSocketAddress bindAddress() {
    return new InetSocketAddress(bind, 0);
  }

  /** {@code host:port} as workers dial it, an IPv6 address in brackets. */
  String endpoint(int port) {
    String host = dialHost != null ? stripBrackets(dialHost) : bind.getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  @Override
  public String toString() {
    return bind.getHostAddress() + (dialHost == null ? "" : " (dialled as " + dialHost + ")");
  }
}
