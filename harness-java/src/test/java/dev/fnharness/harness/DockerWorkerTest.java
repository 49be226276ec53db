package dev.fnharness.harness;

import static dev.fnharness.harness.testing.TestWorkers.bigintDescriptor;
import static dev.fnharness.harness.testing.TestWorkers.module;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fnharness.harness.environment.DockerEnvironment;
import dev.fnharness.harness.testing.TestDocker;
import dev.fnharness.harness.testing.TestWorkers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker mode against a real engine: start-up errors, crashes and close leave no container. */
class DockerWorkerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path tmp;
  private String image;

  @BeforeEach
  void engineAndImage() {
    image = TestDocker.image();
  }

  @AfterEach
  void noContainerLeft() {
    assertThat(TestDocker.fnharnessContainers()).as("containers left behind").isEmpty();
  }

  private WorkerSpec spec(List<String> files) {
    return new WorkerSpec(TestWorkers.newWorkerId(), TIMEOUT, "INFO", WorkerDependencies.of(files));
  }

  @Test
  void closeRemovesTheContainer() throws Exception {
    String udfs = module(tmp, "udfs", "def plus_one(x):\n    return x + 1\n");
    WorkerSpec spec = spec(List.of(udfs));
    String container = DockerEnvironment.containerName(spec.workerId());
    RemoteWorker worker = Workers.start(spec, new DockerEnvironment("docker", image, List.of()));
    try {
      assertThat(TestDocker.containerExists(container)).isTrue();
      worker.register(bigintDescriptor("plus", "udfs", "plus_one"), TIMEOUT);
      assertThat(TestWorkers.runBundle(worker, "plus", 41L)).containsExactly(42L);
    } finally {
      worker.close();
    }
    assertThat(TestDocker.containerExists(container)).isFalse();
  }

  @Test
  void aKilledContainerFailsTheNextCallWithItsExitCode() throws Exception {
    WorkerSpec spec = spec(List.of());
    String container = DockerEnvironment.containerName(spec.workerId());
    try (RemoteWorker worker =
        Workers.start(spec, new DockerEnvironment("docker", image, List.of()))) {
      assertThat(TestDocker.docker("kill", container)).isZero();

      Throwable failure = TestWorkers.awaitCrash(worker, TIMEOUT);
      assertThat(failure)
          .isNotNull()
          .hasMessageContaining(spec.workerId())
          .hasMessageContaining("container " + container)
          .hasMessageContaining("exit code 137");
    }
  }

  @Test
  void aMissingImageNamesTheImageAndWhatDockerSaid() {
    WorkerSpec spec = spec(List.of());
    DockerEnvironment environment =
        new DockerEnvironment("docker", "fnharness-no-such-image:0", List.of("--pull=never"));

    assertThatThrownBy(() -> Workers.start(spec, environment))
        .isInstanceOf(WorkerStartupException.class)
        .hasMessageContaining("mode: docker")
        .hasMessageContaining("Image: fnharness-no-such-image:0")
        .hasMessageContaining("docker run --rm --network=host --name fnharness-" + spec.workerId())
        .hasMessageContaining("exit code 125 (docker run failed")
        .hasMessageContaining("No such image");
  }

  @Test
  void aWorkerThatFailsInsideTheContainerShowsItsOutput() {
    WorkerSpec spec =
        new WorkerSpec(
            TestWorkers.newWorkerId(),
            TIMEOUT,
            "INFO",
            new WorkerDependencies(
                List.of(),
                new WorkerDependencies.Requirements(
                    tmp.resolve("missing-requirements.txt").toString(), tmp.toString()),
                List.of()));
    // The file is shipped only if it exists: the worker fails fetching nothing and says so.
    assertThatThrownBy(() -> Workers.start(spec, new DockerEnvironment("docker", image, List.of())))
        .isInstanceOf(WorkerStartupException.class)
        .hasMessageContaining("mode: docker")
        .hasMessageContaining("exited during start-up with exit code 1")
        .hasMessageContaining("start-up failed");
  }
}
