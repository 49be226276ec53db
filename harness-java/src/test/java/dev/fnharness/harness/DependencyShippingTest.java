package dev.fnharness.harness;

import static dev.fnharness.harness.testing.TestWorkers.bigintDescriptor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fnharness.harness.environment.DockerEnvironment;
import dev.fnharness.harness.environment.ExternalEnvironment;
import dev.fnharness.harness.environment.ProcessEnvironment;
import dev.fnharness.harness.environment.WorkerEnvironment;
import dev.fnharness.harness.testing.TestDependencies;
import dev.fnharness.harness.testing.TestDocker;
import dev.fnharness.harness.testing.TestPool;
import dev.fnharness.harness.testing.TestWorkers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * python.files (a .py file, a directory, a .zip), requirements (a wheel pip installs offline) and
 * an archive reach the function in every mode: by path in process mode, over the Artifact Retrieval
 * service in docker and external mode.
 */
class DependencyShippingTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private void assertProbeWorks(WorkerEnvironment environment) throws Exception {
    TestDependencies deps = TestDependencies.writeInto(tmp);
    WorkerSpec spec =
        new WorkerSpec(TestWorkers.newWorkerId(), TIMEOUT, "INFO", TestWorkers.dependencies(deps));
    try (RemoteWorker worker = Workers.start(spec, environment)) {
      worker.register(bigintDescriptor("probe", TestDependencies.MODULE, "probe"), TIMEOUT);
      assertThat(TestWorkers.runBundle(worker, "probe", 1L, 2L))
          .containsExactly(TestDependencies.expected(1), TestDependencies.expected(2));
    }
  }

  @Test
  void processModeUsesThePathsInPlace() throws Exception {
    assertProbeWorks(new ProcessEnvironment(TestWorkers.python(), Map.of()));
  }

  @Test
  void externalModeFetchesTheFilesOverGrpc() throws Exception {
    try (TestPool pool = TestPool.start(TestWorkers.python(), null)) {
      assertProbeWorks(new ExternalEnvironment(pool.address(), null));
      assertThat(pool.awaitNoWorkers(10)).as("pool log:\n%s", pool.log()).isTrue();
    }
  }

  @Test
  void dockerModeFetchesTheFilesOverGrpc() throws Exception {
    String image = TestDocker.image();
    assertProbeWorks(new DockerEnvironment("docker", image, List.of()));
    assertThat(TestDocker.fnharnessContainers()).isEmpty();
  }
}
