package dev.fnharness.harness;

import dev.fnharness.harness.environment.DockerEnvironment;
import dev.fnharness.harness.environment.ExternalEnvironment;
import dev.fnharness.harness.environment.ProcessEnvironment;
import dev.fnharness.harness.environment.WorkerEnvironment;
import dev.fnharness.harness.testing.TestDocker;
import dev.fnharness.harness.testing.TestPool;
import dev.fnharness.harness.testing.TestWorkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Start-up time of a worker, from the call that spawns it to its answer to the first {@code
 * register} (it has provisioned, connected all streams and imported the function). Not part of the
 * test suite (the name matches no surefire include): {@code benchmarks/startup.sh} runs it, the
 * numbers go to benchmarks/RESULTS.md.
 *
 * <p>System properties: {@code bench.runs} (default 20), {@code bench.modes} (default {@code
 * process docker external}).
 */
class StartupBenchmark {

  @Test
  void measureStartup() throws Exception {
    int runs = Integer.getInteger("bench.runs", 20);
    String[] modes =
        System.getProperty("bench.modes", "process docker external").trim().split("\\s+");
    Path udfs = Files.createTempDirectory("fnharness-bench-");
    String module = TestWorkers.module(udfs, "bench_udfs", "def plus_one(x):\n    return x + 1\n");
    for (String mode : modes) {
      TestPool pool = mode.equals("external") ? TestPool.start(TestWorkers.python(), null) : null;
      try {
        WorkerEnvironment environment =
            switch (mode) {
              case "docker" -> new DockerEnvironment("docker", TestDocker.image(), List.of());
              case "external" -> new ExternalEnvironment(pool.address(), null);
              default -> new ProcessEnvironment(TestWorkers.python(), Map.of());
            };
        report(mode, measure(environment, module, runs));
      } finally {
        if (pool != null) {
          pool.close();
        }
      }
    }
  }

  private static List<Double> measure(WorkerEnvironment environment, String module, int runs) {
    List<Double> millis = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      WorkerSpec spec =
          new WorkerSpec(
              TestWorkers.newWorkerId(),
              Duration.ofSeconds(60),
              "INFO",
              WorkerDependencies.of(List.of(module)));
      long started = System.nanoTime();
      try (RemoteWorker worker = Workers.start(spec, environment, (id, entry) -> {})) {
        worker.register(
            TestWorkers.bigintDescriptor("d", "bench_udfs", "plus_one"), Duration.ofSeconds(60));
        millis.add((System.nanoTime() - started) / 1e6);
      }
    }
    return millis;
  }

  private static void report(String mode, List<Double> millis) {
    double first = millis.get(0);
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    System.out.printf(
        "%-8s runs=%d first=%.0f ms min=%.0f ms median=%.0f ms p90=%.0f ms max=%.0f ms%n",
        mode,
        millis.size(),
        first,
        sorted.get(0),
        sorted.get(sorted.size() / 2),
        sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1),
        sorted.get(sorted.size() - 1));
  }
}
