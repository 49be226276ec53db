package dev.fnharness.harness;

import static dev.fnharness.harness.testing.TestWorkers.script;
import static dev.fnharness.harness.testing.TestWorkers.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fnharness.harness.environment.WorkerPackage;
import dev.fnharness.harness.testing.TestWorkers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures must say what was run, how it ended and what it printed; nothing leaks. */
class WorkerStartupTest {

  @TempDir Path tmp;

  @AfterEach
  void nothingLeftRunning() throws InterruptedException {
    TestWorkers.assertNoLiveChildProcesses();
  }

  @Test
  void missingExecutableNamesTheCommand() {
    ProcessWorkerSpec spec =
        spec(tmp.resolve("no-such-python").toString(), List.of(), Duration.ofSeconds(5));

    assertThatThrownBy(() -> ProcessWorkers.start(spec))
        .isInstanceOf(WorkerStartupException.class)
        .hasMessageContaining("'" + spec.workerId() + "'")
        .hasMessageContaining("mode: process")
        .hasMessageContaining("could not be launched")
        .hasMessageContaining(
            tmp.resolve("no-such-python") + " -m fnharness_worker --id " + spec.workerId())
        .hasMessageContaining("--provision_endpoint 127.0.0.1:");
  }

  @Test
  void pythonWithoutTheWorkerPackageReportsExitCodeAndOutput() throws Exception {
    // A real interpreter, but the runner's PYTHONPATH is thrown away: "No module named ...".
    String python =
        script(
            tmp,
            "python-without-path",
            "unset PYTHONPATH\nexec " + TestWorkers.python() + " \"$@\"");
    ProcessWorkerSpec spec = spec(python, List.of(), Duration.ofSeconds(20));

    assertThatThrownBy(() -> ProcessWorkers.start(spec))
        .isInstanceOf(WorkerStartupException.class)
        .hasMessageContaining("mode: process")
        .hasMessageContaining("exited during start-up with exit code 1")
        .hasMessageContaining(python + " -m fnharness_worker")
        .hasMessageContaining("No module named fnharness_worker");
  }

  @Test
  void anInterpreterWithoutGrpcIsNamedWithTheInstallCommand() throws Exception {
    // -S: no site-packages, so neither grpc nor protobuf can be imported.
    String python =
        script(tmp, "python-without-grpc", "exec " + TestWorkers.python() + " -S \"$@\"");
    ProcessWorkerSpec spec = spec(python, List.of(), Duration.ofSeconds(20));

    assertThatThrownBy(() -> ProcessWorkers.start(spec))
        .isInstanceOf(WorkerStartupException.class)
        // the worker's own summary, with the fix, is the first line
        .satisfies(
            e ->
                assertThat(e.getMessage().lines().findFirst().orElseThrow())
                    .contains("(mode: process) exited during start-up with exit code 2")
                    .contains("cannot import grpc")
                    .contains("Fix: ")
                    .contains("-m pip install \"grpcio>=1.51\" \"protobuf>=4.21\"")
                    .contains("python.executable"))
        .hasMessageContaining("Command: " + python + " -m fnharness_worker");
  }

  @Test
  void workerThatExitsAtStartReportsItsExitCodeAndStderr() throws Exception {
    String python =
        script(tmp, "failing-python", "echo 'starting' \necho 'boom: bad config' >&2\nexit 3");
    ProcessWorkerSpec spec = spec(python, List.of(), Duration.ofSeconds(20));

    assertThatThrownBy(() -> ProcessWorkers.start(spec))
        .isInstanceOf(WorkerStartupException.class)
        .hasMessageContaining("exit code 3")
        .hasMessageContaining("starting")
        .hasMessageContaining("boom: bad config")
        .hasMessageContaining("PYTHONPATH=" + WorkerPackage.directory());
  }

  @Test
  void workerThatNeverConnectsIsKilledAfterTheTimeout() throws Exception {
    String python = script(tmp, "hanging-python", "echo 'thinking...'\nexec sleep 60");
    ProcessWorkerSpec spec = spec(python, List.of(), Duration.ofMillis(1500));
    long started = System.nanoTime();

    assertThatThrownBy(() -> ProcessWorkers.start(spec))
        .isInstanceOf(WorkerStartupException.class)
        .hasMessageContaining("still running after 1500 ms")
        .hasMessageContaining("killed")
        .hasMessageContaining(python + " -m fnharness_worker")
        .hasMessageContaining("thinking...");
    // Generous: the script sleeps 60 s, so anything shorter proves we did not wait for it.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
  }
}
