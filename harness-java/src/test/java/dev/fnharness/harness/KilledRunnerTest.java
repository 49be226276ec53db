package dev.fnharness.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fnharness.harness.environment.DockerEnvironment;
import dev.fnharness.harness.environment.ExternalEnvironment;
import dev.fnharness.harness.environment.ProcessEnvironment;
import dev.fnharness.harness.environment.WorkerEnvironment;
import dev.fnharness.harness.testing.TestDocker;
import dev.fnharness.harness.testing.TestPool;
import dev.fnharness.harness.testing.TestWorkers;
import dev.fnharness.harness.worker.FnApiRemoteWorker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The TaskManager JVM killed with SIGKILL runs no shutdown hook: the worker must notice that its
 * Control stream is gone and exit by itself, within seconds, in every mode.
 */
class KilledRunnerTest {

  /** How soon after the runner's death the worker must be gone. */
  private static final Duration GONE_WITHIN = Duration.ofSeconds(10);

  @Test
  void processWorkerExitsWhenItsJvmIsKilled() throws Exception {
    String pid = startInKilledJvm("process", TestWorkers.python());
    assertGone(() -> isAlive(Long.parseLong(pid)), "worker process " + pid);
  }

  @Test
  void dockerWorkerExitsAndItsContainerIsRemovedWhenItsJvmIsKilled() throws Exception {
    String container = startInKilledJvm("docker", TestDocker.image());
    assertGone(() -> TestDocker.containerExists(container), "container " + container);
  }

  @Test
  void pooledWorkerExitsWhenItsJvmIsKilled() throws Exception {
    try (TestPool pool = TestPool.start(TestWorkers.python(), null)) {
      startInKilledJvm("external", pool.address());
      assertThat(pool.awaitNoWorkers(GONE_WITHIN.toSeconds()))
          .as("the pool's worker exits; pool log:\n%s", pool.log())
          .isTrue();
    }
  }

  /** Starts a JVM that starts one worker, SIGKILLs the JVM, returns what the JVM printed. */
  private static String startInKilledJvm(String mode, String argument) throws Exception {
    Process jvm =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StartOneWorker.class.getName(),
                mode,
                argument)
            .redirectErrorStream(true)
            .start();
    StringBuilder output = new StringBuilder();
    String started = null;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; started == null && (line = out.readLine()) != null; ) {
        output.append(line).append('\n');
        if (line.startsWith("started ")) {
          started = line.substring("started ".length()).trim();
        }
      }
      assertThat(started).as("the child JVM's output:\n%s", output).isNotNull();
      jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(jvm.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      jvm.destroyForcibly();
    }
    return started;
  }

  private static void assertGone(BooleanSupplier exists, String what) throws InterruptedException {
    long deadline = System.nanoTime() + GONE_WITHIN.toNanos();
    while (exists.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(exists.getAsBoolean())
        .as("%s still exists %s after its JVM died", what, GONE_WITHIN)
        .isFalse();
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Runs in the child JVM: starts one worker, says which, and waits to be killed. */
  public static final class StartOneWorker {
    public static void main(String[] args) throws Exception {
      String mode = args[0];
      WorkerEnvironment environment =
          switch (mode) {
            case "docker" -> new DockerEnvironment("docker", args[1], List.of());
            case "external" -> new ExternalEnvironment(args[1], null);
            default -> new ProcessEnvironment(args[1], Map.of());
          };
      WorkerSpec spec =
          new WorkerSpec(
              TestWorkers.newWorkerId(),
              Duration.ofSeconds(60),
              "INFO",
              WorkerDependencies.of(List.of()));
      FnApiRemoteWorker worker = (FnApiRemoteWorker) Workers.start(spec, environment);
      String which =
          switch (mode) {
            case "docker" -> DockerEnvironment.containerName(spec.workerId());
            case "external" -> spec.workerId();
            default -> String.valueOf(worker.pid());
          };
      System.out.println("started " + which);
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
