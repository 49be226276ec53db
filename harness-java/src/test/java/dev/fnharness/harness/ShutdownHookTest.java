package dev.fnharness.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fnharness.harness.testing.TestWorkers;
import dev.fnharness.harness.worker.FnApiRemoteWorker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM that exits without closing its worker must not leave the Python process behind. */
class ShutdownHookTest {

  @TempDir Path tmp;

  @Test
  void exitingJvmTakesItsWorkersAlong() throws Exception {
    // The worker exits by itself once its Control stream breaks; the wrapper then lingers, so
    // only the shutdown hook can explain it (and its child) being gone.
    String python =
        TestWorkers.script(tmp, "lingering-python", TestWorkers.python() + " \"$@\"\nsleep 30");
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Process jvm =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dfnharness.test.python=" + python,
                ExitWithoutClosing.class.getName())
            .redirectErrorStream(true)
            .start();
    List<Long> pids = new ArrayList<>();
    StringBuilder output = new StringBuilder();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        output.append(line).append('\n');
        if (line.startsWith("pid ")) {
          pids.add(Long.parseLong(line.substring("pid ".length()).trim()));
        }
      }
    }
    assertThat(jvm.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(pids).as("pids printed by the child JVM:\n%s", output).hasSizeGreaterThan(1);

    // Killed descendants may take a moment until init reaps them; without the hook the wrapper
    // would live on for 30 s.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (pids.stream().anyMatch(ShutdownHookTest::isAlive) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    for (long pid : pids) {
      assertThat(isAlive(pid)).as("process %d is alive", pid).isFalse();
    }
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Runs in the child JVM. */
  public static final class ExitWithoutClosing {
    public static void main(String[] args) {
      ProcessWorkerSpec spec =
          TestWorkers.spec(TestWorkers.python(), List.of(), Duration.ofSeconds(20));
      FnApiRemoteWorker worker = (FnApiRemoteWorker) ProcessWorkers.start(spec);
      ProcessHandle process = ProcessHandle.of(worker.pid()).orElseThrow();
      System.out.println("pid " + process.pid());
      process.descendants().forEach(child -> System.out.println("pid " + child.pid()));
      System.out.flush();
      System.exit(0);
    }
  }
}
