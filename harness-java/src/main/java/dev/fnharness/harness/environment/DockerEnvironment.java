package dev.fnharness.harness.environment;

import dev.fnharness.harness.WorkerNames;
import dev.fnharness.harness.WorkerSpec;
import dev.fnharness.harness.WorkerStartupException;
import dev.fnharness.harness.server.RunnerEndpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Docker mode: {@code docker run --rm --network=host --name fnharness-<id> [args] IMAGE --id ID
 * --provision_endpoint HOST:PORT}. The image's entry point is the worker ({@code python -m
 * fnharness_worker}); host networking lets it reach the runner's loopback server. The {@code docker
 * run} client stays attached, so the container's output and exit code arrive like a child
 * process's; the container itself is removed on close, on failure and when the JVM exits.
 */
public final class DockerEnvironment implements WorkerEnvironment {

  /** How python.worker.mode names it, and start-up errors too. */
  public static final String MODE = "docker";

  private final String docker;
  private final String image;
  private final List<String> runArguments;

  /**
   * @param docker the docker client executable, e.g. {@code docker}
   * @param image the worker image ({@code python.worker.docker.image})
   * @param runArguments extra {@code docker run} arguments, placed before the image
   */
  public DockerEnvironment(String docker, String image, List<String> runArguments) {
    this.docker = Objects.requireNonNull(docker, "docker");
    this.image = Objects.requireNonNull(image, "image");
    this.runArguments = List.copyOf(runArguments);
  }

  @Override
  public String mode() {
    return MODE;
  }

  @Override
  public boolean shipsFiles() {
    return true;
  }

  /** Docker allows {@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}; worker ids mostly are that already. */
  public static String containerName(String workerId) {
    return "fnharness-" + workerId.replaceAll("[^a-zA-Z0-9_.-]", "_");
  }

  List<String> command(String workerId, String provisionEndpoint) {
    List<String> command = new ArrayList<>();
    command.add(docker);
    command.add("run");
    command.add("--rm");
    command.add("--network=host");
    command.add("--name");
    command.add(containerName(workerId));
    command.add("--label");
    command.add("fnharness.worker=" + workerId);
    command.addAll(runArguments);
    command.add(image);
    command.add("--id");
    command.add(workerId);
    command.add("--provision_endpoint");
    command.add(provisionEndpoint);
    return command;
  }

  @Override
  public String describeLaunch(String workerId, String provisionEndpoint) {
    return "Image: "
        + image
        + "\nCommand: "
        + WorkerProcess.commandLine(command(workerId, provisionEndpoint));
  }

  @Override
  public LaunchedWorker launch(WorkerSpec spec, RunnerEndpoint runner) {
    // On loopback (the default runnerAddress()) the runner asks for no token.
    String provisionEndpoint = runner.url();
    String workerId = spec.workerId();
    List<String> command = command(workerId, provisionEndpoint);
    String name = containerName(workerId);
    // Registered before the start, so a JVM exit in between still removes it.
    LiveContainers.add(docker, name);
    try {
      return new DockerContainer(docker, name, WorkerProcess.start(workerId, command, Map.of()));
    } catch (IOException e) {
      LiveContainers.remove(name);
      throw new WorkerStartupException(
          WorkerNames.worker(workerId, MODE)
              + " could not be launched: "
              + e.getMessage()
              + " (is the docker client installed?).\n"
              + describeLaunch(workerId, provisionEndpoint),
          e);
    }
  }
}
