package dev.fnharness.harness;

import static dev.fnharness.harness.testing.TestWorkers.bigintDescriptor;
import static dev.fnharness.harness.testing.TestWorkers.bigints;
import static dev.fnharness.harness.testing.TestWorkers.firstColumn;
import static dev.fnharness.harness.testing.TestWorkers.module;
import static dev.fnharness.harness.testing.TestWorkers.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fnharness.harness.bundle.ActiveBundle;
import dev.fnharness.harness.logging.LogEntrySink;
import dev.fnharness.harness.testing.RecordingReceiver;
import dev.fnharness.harness.testing.TestWorkers;
import dev.fnharness.harness.worker.FnApiRemoteWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.beam.model.fnexecution.v1.BeamFnApi.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Python worker over real gRPC: bundles, errors, crashes, shutdown. */
class ProcessWorkerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static final String UDFS =
      String.join(
          "\n",
          "import logging",
          "import time",
          "",
          "log = logging.getLogger('udfs')",
          "",
          "def plus_one(x):",
          "    return None if x is None else x + 1",
          "",
          "def chatty(x):",
          "    log.warning('saw %s', x)",
          "    print('printed', x)",
          "    return x",
          "",
          "def boom(x):",
          "    if x == 2:",
          "        raise ValueError('two is not allowed')",
          "    return x",
          "",
          "def slow(x):",
          "    time.sleep(60)",
          "    return x",
          "");

  @TempDir Path tmp;
  private String udfs;
  private final List<RemoteWorker> started = new ArrayList<>();

  @BeforeEach
  void writeUdfs() throws Exception {
    udfs = module(tmp, "udfs", UDFS);
  }

  @AfterEach
  void closeWorkersAndCheckForLeftovers() throws InterruptedException {
    started.forEach(RemoteWorker::close);
    TestWorkers.assertNoLiveChildProcesses();
  }

  private FnApiRemoteWorker start(LogEntrySink sink) {
    RemoteWorker worker = ProcessWorkers.start(spec(List.of(udfs)), sink);
    started.add(worker);
    return (FnApiRemoteWorker) worker;
  }

  private FnApiRemoteWorker start() {
    return start(LogEntrySink.slf4j());
  }

  @Test
  void runsBundlesThroughAPythonFunction() throws Exception {
    FnApiRemoteWorker worker = start();
    worker.register(bigintDescriptor("plus", "udfs", "plus_one"), TIMEOUT);

    for (int round = 0; round < 2; round++) {
      RecordingReceiver receiver = new RecordingReceiver();
      ActiveBundle bundle = worker.startBundle("plus", "fn", receiver);
      bundle.send(bigints(1L, null, 41L));
      bundle.send(bigints(-5L));
      bundle.finishInput();

      receiver.outcome.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(receiver.data).hasSize(2);
      assertThat(firstColumn(receiver.data.get(0))).containsExactly(2L, null, 42L);
      assertThat(firstColumn(receiver.data.get(1))).containsExactly(-4L);
      assertThat(receiver.events).last().isEqualTo("completed");
    }
  }

  @Test
  void runsConcurrentBundles() throws Exception {
    FnApiRemoteWorker worker = start();
    worker.register(bigintDescriptor("plus", "udfs", "plus_one"), TIMEOUT);

    List<RecordingReceiver> receivers = new ArrayList<>();
    List<ActiveBundle> bundles = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      RecordingReceiver receiver = new RecordingReceiver();
      receivers.add(receiver);
      bundles.add(worker.startBundle("plus", "fn", receiver));
    }
    for (int i = 0; i < bundles.size(); i++) {
      bundles.get(i).send(bigints((long) i));
    }
    bundles.forEach(ActiveBundle::finishInput);
    for (int i = 0; i < receivers.size(); i++) {
      receivers.get(i).outcome.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(firstColumn(receivers.get(i).data.get(0))).containsExactly(i + 1L);
    }
  }

  @Test
  void registeringAMissingModuleNamesTheModuleAndPythonFiles() {
    FnApiRemoteWorker worker = start();

    assertThatThrownBy(
            () -> worker.register(bigintDescriptor("missing", "no_such_udfs", "f"), TIMEOUT))
        .isInstanceOf(PythonWorkerException.class)
        .hasMessageContaining("no_such_udfs:f")
        .hasMessageContaining("python.files")
        .hasMessageContaining(udfs);
  }

  @Test
  void aRaisingFunctionFailsTheBundleWithTheTraceback() throws Exception {
    FnApiRemoteWorker worker = start();
    worker.register(bigintDescriptor("boom", "udfs", "boom"), TIMEOUT);

    RecordingReceiver receiver = new RecordingReceiver();
    ActiveBundle bundle = worker.startBundle("boom", "fn", receiver);
    bundle.send(bigints(1L, 2L, 3L));
    bundle.finishInput();

    Throwable failure = receiver.awaitFailure(TIMEOUT);
    assertThat(failure)
        .isInstanceOf(PythonWorkerException.class)
        .hasMessageContaining("udfs:boom")
        .hasMessageContaining("Traceback")
        .hasMessageContaining("ValueError: two is not allowed");
    assertThat(receiver.events.stream().filter(e -> !e.startsWith("data:"))).hasSize(1);

    // The worker survives a failing function.
    worker.register(bigintDescriptor("plus", "udfs", "plus_one"), TIMEOUT);
    RecordingReceiver next = new RecordingReceiver();
    ActiveBundle again = worker.startBundle("plus", "fn", next);
    again.send(bigints(7L));
    again.finishInput();
    next.outcome.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(firstColumn(next.data.get(0))).containsExactly(8L);
  }

  @Test
  void killingTheWorkerFailsTheBundleInFlightAtOnce() throws Exception {
    FnApiRemoteWorker worker = start();
    worker.register(bigintDescriptor("slow", "udfs", "slow"), TIMEOUT);
    RecordingReceiver receiver = new RecordingReceiver();
    ActiveBundle bundle = worker.startBundle("slow", "fn", receiver);
    bundle.send(bigints(1L));
    bundle.finishInput();
    Thread.sleep(300);

    long killedAt = System.nanoTime();
    ProcessHandle.of(worker.pid()).orElseThrow().destroyForcibly(); // SIGKILL

    Throwable failure = receiver.awaitFailure(Duration.ofSeconds(5));
    assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(15));
    assertThat(failure)
        .isInstanceOf(WorkerCrashedException.class)
        .hasMessageContaining(worker.workerId())
        .hasMessageContaining("exit code 137")
        .hasMessageContaining("killed by signal 9 (SIGKILL)");

    // Everything after that fails fast too.
    assertThatThrownBy(() -> worker.register(bigintDescriptor("p", "udfs", "plus_one"), TIMEOUT))
        .isInstanceOf(WorkerCrashedException.class)
        .hasMessageContaining("SIGKILL");
  }

  @Test
  void closeStopsTheProcessFailsBundlesInFlightAndIsIdempotent() throws Exception {
    FnApiRemoteWorker worker = start();
    worker.register(bigintDescriptor("slow", "udfs", "slow"), TIMEOUT);
    RecordingReceiver receiver = new RecordingReceiver();
    worker.startBundle("slow", "fn", receiver).send(bigints(1L));
    ProcessHandle process = ProcessHandle.of(worker.pid()).orElseThrow();

    long closing = System.nanoTime();
    worker.close();
    worker.close();

    assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(20));
    assertThat(process.isAlive()).isFalse();
    assertThat(receiver.awaitFailure(Duration.ofSeconds(1)))
        .isInstanceOf(WorkerCrashedException.class)
        .hasMessageContaining("closed");
    assertThat(receiver.events).hasSize(1);
    assertThatThrownBy(() -> worker.startBundle("slow", "fn", new RecordingReceiver()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anIdleWorkerExitsPromptlyOnClose() throws Exception {
    FnApiRemoteWorker worker = start();
    ProcessHandle process = ProcessHandle.of(worker.pid()).orElseThrow();

    worker.close();

    assertThat(process.isAlive()).isFalse();
  }

  @Test
  void pythonLogRecordsReachTheSinkWithWorkerIdAndLoggerName() throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<LogEntry> entries = new java.util.concurrent.CopyOnWriteArrayList<>();
    FnApiRemoteWorker worker =
        start(
            (workerId, entry) -> {
              seen.add(workerId);
              entries.add(entry);
            });
    worker.register(bigintDescriptor("chatty", "udfs", "chatty"), TIMEOUT);
    RecordingReceiver receiver = new RecordingReceiver();
    ActiveBundle bundle = worker.startBundle("chatty", "fn", receiver);
    bundle.send(bigints(5L));
    bundle.finishInput();
    receiver.outcome.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!hasLog(entries, "udfs", "saw 5") || !hasLog(entries, "stdout", "printed 5")) {
      assertThat(System.nanoTime()).as("log records so far: %s", entries).isLessThan(deadline);
      Thread.sleep(50);
    }
    assertThat(seen).containsOnly(worker.workerId());
    LogEntry warning =
        entries.stream().filter(e -> e.getMessage().contains("saw 5")).findFirst().orElseThrow();
    assertThat(warning.getSeverity()).isEqualTo(LogEntry.Severity.Enum.WARN);
  }

  private static boolean hasLog(List<LogEntry> entries, String location, String text) {
    return entries.stream()
        .anyMatch(e -> e.getLogLocation().equals(location) && e.getMessage().contains(text));
  }

  @Test
  void workersAreIndependent() throws Exception {
    FnApiRemoteWorker first = start();
    FnApiRemoteWorker second = start();
    first.register(bigintDescriptor("plus", "udfs", "plus_one"), TIMEOUT);
    second.register(bigintDescriptor("plus", "udfs", "plus_one"), TIMEOUT);
    first.close();

    RecordingReceiver receiver = new RecordingReceiver();
    ActiveBundle bundle = second.startBundle("plus", "fn", receiver);
    bundle.send(bigints(Arrays.asList(1L, 2L).toArray(new Long[0])));
    bundle.finishInput();
    receiver.outcome.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(firstColumn(receiver.data.get(0))).containsExactly(2L, 3L);
  }
}
