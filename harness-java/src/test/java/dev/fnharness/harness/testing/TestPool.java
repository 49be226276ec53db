package dev.fnharness.harness.testing;

import dev.fnharness.harness.environment.WorkerPackage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real external worker pool ({@code python -m fnharness_worker.pool}) on loopback for tests, run
 * with the test interpreter and the worker package from the jar. Its output goes to a log file.
 */
public final class TestPool implements AutoCloseable {

  private final Process process;
  private final String address;
  private final Path log;

  private TestPool(Process process, String address, Path log) {
    this.process = process;
    this.address = address;
    this.log = log;
  }

  /** Starts a pool on 127.0.0.1 with a free port; {@code tokenFile} may be {@code null}. */
  public static TestPool start(String python, Path tokenFile) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(python, "-m", "fnharness_worker.pool", "--host", "127.0.0.1", "--port", "0"));
    if (tokenFile != null) {
      command.add("--token-file");
      command.add(tokenFile.toString());
    }
    Path log =
        Files.createTempFile("fnharness-pool-" + ProcessHandle.current().pid() + "-", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
    builder.environment().put("PYTHONPATH", WorkerPackage.directory().toString());
    Process process = builder.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.contains("listening on ")) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "the worker pool did not start: " + line + "\n" + Files.readString(log));
    }
    String address = line.substring(line.indexOf("listening on ") + 13).split(" ")[0];
    return new TestPool(process, address, log);
  }

  public String address() {
    return address;
  }

  /** The pool's process: its children are the workers it runs. */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  /** Waits up to {@code seconds} for the pool to have no live worker process. */
  public boolean awaitNoWorkers(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (process.toHandle().children().anyMatch(ProcessHandle::isAlive)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
