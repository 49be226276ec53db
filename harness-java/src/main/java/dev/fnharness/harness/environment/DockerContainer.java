package dev.fnharness.harness.environment;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker container, seen through its attached {@code docker run} client: the client's exit is the
 * container's exit, its output the container's output. Killing the client would leave the container
 * running, so stopping goes through {@code docker rm -f}.
 */
public final class DockerContainer implements LaunchedWorker {

  private final String docker;
  private final String name;
  private final WorkerProcess client;

  DockerContainer(String docker, String name, WorkerProcess client) {
    this.docker = docker;
    this.name = name;
    this.client = client;
    client.onExit().thenRun(() -> LiveContainers.remove(name));
  }

  @Override
  public String describe() {
    return "container " + name + ", docker client " + client.describe();
  }

  @Override
  public OptionalLong pid() {
    return client.pid();
  }

  @Override
  public CompletableFuture<Void> onExit() {
    return client.onExit();
  }

  @Override
  public boolean isAlive() {
    return client.isAlive();
  }

  @Override
  public String exitDescription() {
    int code = client.exitCode();
    // docker run's own codes (see `docker run --help`): the container never ran the worker.
    switch (code) {
      case 125:
        return "exit code 125 (docker run failed: the container did not start)";
      case 126:
        return "exit code 126 (the image's entry point cannot be invoked)";
      case 127:
        return "exit code 127 (the image's entry point was not found)";
      default:
        return ExitCodes.describe(code);
    }
  }

  @Override
  public String outputTail() {
    return client.outputTail();
  }

  @Override
  public void stop(long graceMillis) {
    try {
      client.onExit().get(graceMillis, TimeUnit.MILLISECONDS);
      return;
    } catch (TimeoutException | ExecutionException e) {
      // still running: remove it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill();
  }

  @Override
  public void kill() {
    LiveContainers.removeContainer(docker, name);
    client.stop(2000);
  }
}
