package dev.fnharness.flink.internal.config;

import dev.fnharness.flink.PythonOptions;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * Docker mode's settings: {@code python.worker.docker.image} (required) and {@code run-args}.
 *
 * @param runArgs extra {@code docker run} arguments, placed before the image
 */
@Internal
public record DockerSettings(String image, List<String> runArgs) {

  /** The docker client that runs the containers, found on the TaskManager's PATH. */
  static final String CLIENT = "docker";

  public DockerSettings {
    runArgs = List.copyOf(runArgs);
  }

  /**
   * @throws IllegalArgumentException naming the key when no image is set
   */
  static DockerSettings of(PythonConfig config) {
    String image = config.trimmedOrNull(PythonOptions.DOCKER_IMAGE);
    if (image == null) {
      throw WorkerMode.DOCKER.lacks(
          PythonOptions.DOCKER_IMAGE, "name the worker image (see worker-python/Dockerfile)");
    }
    return new DockerSettings(
        image,
        config.isSet(PythonOptions.DOCKER_RUN_ARGS)
            ? config.get(PythonOptions.DOCKER_RUN_ARGS)
            : List.of());
  }
}
