package dev.fnharness.harness;

import static dev.fnharness.harness.testing.TestWorkers.bigintDescriptor;
import static dev.fnharness.harness.testing.TestWorkers.module;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fnharness.harness.environment.ExternalEnvironment;
import dev.fnharness.harness.environment.LaunchedWorker;
import dev.fnharness.harness.environment.ProcessEnvironment;
import dev.fnharness.harness.environment.WorkerEnvironment;
import dev.fnharness.harness.server.RunnerAddress;
import dev.fnharness.harness.server.RunnerEndpoint;
import dev.fnharness.harness.testing.TestPool;
import dev.fnharness.harness.testing.TestWorkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** External mode against a real pool process: each worker started and stopped, errors named. */
class ExternalWorkerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path tmp;

  private WorkerSpec spec(WorkerDependencies dependencies) {
    return new WorkerSpec(TestWorkers.newWorkerId(), TIMEOUT, "INFO", dependencies);
  }

  @Test
  void eachWorkerIsStartedByThePoolAndStoppedOnClose() throws Exception {
    String udfs = module(tmp, "udfs", "def plus_one(x):\n    return x + 1\n");
    try (TestPool pool = TestPool.start(TestWorkers.python(), null)) {
      ExternalEnvironment environment = new ExternalEnvironment(pool.address(), null);
      RemoteWorker first = Workers.start(spec(WorkerDependencies.of(List.of(udfs))), environment);
      RemoteWorker second = Workers.start(spec(WorkerDependencies.of(List.of(udfs))), environment);
      assertThat(pool.handle().children().filter(ProcessHandle::isAlive)).hasSize(2);
      first.register(bigintDescriptor("plus", "udfs", "plus_one"), TIMEOUT);
      assertThat(TestWorkers.runBundle(first, "plus", 1L)).containsExactly(2L);

      first.close();
      second.close();

      assertThat(pool.awaitNoWorkers(10)).as("pool log:\n%s", pool.log()).isTrue();
    }
  }

  @Test
  void aWorkerKilledInThePoolFailsWithWhatThePoolReports() throws Exception {
    try (TestPool pool = TestPool.start(TestWorkers.python(), null)) {
      RemoteWorker worker =
          Workers.start(
              spec(WorkerDependencies.of(List.of())),
              new ExternalEnvironment(pool.address(), null));
      try {
        pool.handle().children().forEach(ProcessHandle::destroyForcibly);
        Throwable failure = TestWorkers.awaitCrash(worker, TIMEOUT);
        assertThat(failure)
            .isNotNull()
            .hasMessageContaining("lost its")
            .hasMessageContaining("in the worker pool at " + pool.address())
            .hasMessageContaining("had ended with killed by signal 9 (SIGKILL)");
      } finally {
        worker.close();
      }
    }
  }

  @Test
  void aWorkerDyingAtStartUpIsReportedAtOnceWithItsOutput() throws Exception {
    Path requirements = Files.writeString(tmp.resolve("requirements.txt"), "not-there==1\n");
    Path wheels = Files.createDirectories(tmp.resolve("wheels"));
    WorkerSpec spec =
        spec(
            new WorkerDependencies(
                List.of(),
                new WorkerDependencies.Requirements(requirements.toString(), wheels.toString()),
                List.of()));
    try (TestPool pool = TestPool.start(TestWorkers.python(), null)) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> Workers.start(spec, new ExternalEnvironment(pool.address(), null)))
          .isInstanceOf(WorkerStartupException.class)
          .hasMessageContaining("(mode: external) was not started by the pool")
          .hasMessageContaining("Worker pool: " + pool.address())
          .hasMessageContaining("exited during start-up with exit code 1")
          .hasMessageContaining("pip failed")
          .hasMessageContaining("not-there");
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("reported before the start-up timeout")
          .isLessThan(TIMEOUT);
      assertThat(pool.awaitNoWorkers(10)).isTrue();
    }
  }

  @Test
  void aPoolWithATokenRefusesARunnerWithoutIt() throws Exception {
    Path tokenFile = Files.writeString(tmp.resolve("token"), "s3cret\n");
    try (TestPool pool = TestPool.start(TestWorkers.python(), tokenFile)) {
      assertThatThrownBy(
              () ->
                  Workers.start(
                      spec(WorkerDependencies.of(List.of())),
                      new ExternalEnvironment(pool.address(), "wrong")))
          .isInstanceOf(WorkerStartupException.class)
          .hasMessageContaining("wrong or missing token")
          .hasMessageContaining("python.worker.external.token");

      RemoteWorker worker =
          Workers.start(
              spec(WorkerDependencies.of(List.of())),
              new ExternalEnvironment(pool.address(), "s3cret"));
      worker.close();
      assertThat(pool.awaitNoWorkers(10)).isTrue();
    }
  }

  @Test
  void aPoolElsewhereRunsWorkersOfARunnerBoundToAllInterfacesWithTheirTokens() throws Exception {
    String udfs = module(tmp, "udfs", "def plus_one(x):\n    return x + 1\n");
    Path tokenFile = Files.writeString(tmp.resolve("token"), "s3cret\n");
    try (TestPool pool = TestPool.start(TestWorkers.python(), tokenFile)) {
      ExternalEnvironment environment =
          new ExternalEnvironment(
              pool.address(), "s3cret", RunnerAddress.of("0.0.0.0", "127.0.0.1"));
      // python.files travel over the Artifact service, which wants the token too.
      try (RemoteWorker worker =
          Workers.start(spec(WorkerDependencies.of(List.of(udfs))), environment)) {
        worker.register(bigintDescriptor("plus", "udfs", "plus_one"), TIMEOUT);
        assertThat(TestWorkers.runBundle(worker, "plus", 1L, 41L)).containsExactly(2L, 42L);
      }
      assertThat(pool.awaitNoWorkers(10)).as("pool log:\n%s", pool.log()).isTrue();
      assertThat(pool.log()).doesNotContain("UNAUTHENTICATED");
    }
  }

  /** Stands for a pool that does not pass the token on: the worker sends {@code sent} instead. */
  private record WorkerWithToken(String sent) implements WorkerEnvironment {

    @Override
    public String mode() {
      return "external";
    }

    @Override
    public boolean shipsFiles() {
      return true;
    }

    @Override
    public RunnerAddress runnerAddress() {
      return RunnerAddress.of("0.0.0.0", "127.0.0.1");
    }

    private ProcessEnvironment process() {
      return new ProcessEnvironment(
          TestWorkers.python(), sent == null ? Map.of() : Map.of("FNHARNESS_WORKER_TOKEN", sent));
    }

    @Override
    public LaunchedWorker launch(WorkerSpec spec, RunnerEndpoint runner) {
      assertThat(runner.workerToken()).isNotNull().isNotEqualTo(sent);
      return process().launch(spec, new RunnerEndpoint(runner.url(), null));
    }

    @Override
    public String describeLaunch(String workerId, String provisionEndpoint) {
      return process().describeLaunch(workerId, provisionEndpoint);
    }
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = "wrong")
  void aWorkerWithoutItsTokenIsRefusedAndSaysSo(String sent) {
    assertThatThrownBy(
            () -> Workers.start(spec(WorkerDependencies.of(List.of())), new WorkerWithToken(sent)))
        .isInstanceOf(WorkerStartupException.class)
        .hasMessageContaining("exited during start-up with exit code 1")
        .hasMessageContaining("GetProvisionInfo")
        .hasMessageContaining("UNAUTHENTICATED")
        .hasMessageContaining("fnharness-worker-token");
  }

  @Test
  void anUnreachablePoolIsNamed() {
    assertThatThrownBy(
            () ->
                Workers.start(
                    spec(WorkerDependencies.of(List.of())),
                    new ExternalEnvironment("127.0.0.1:1", null)))
        .isInstanceOf(WorkerStartupException.class)
        .hasMessageContaining("mode: external")
        .hasMessageContaining("cannot reach the worker pool")
        .hasMessageContaining("Worker pool: 127.0.0.1:1");
  }
}
