package dev.fnharness.harness.environment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Drains one output stream of a worker process on its own thread, so the process never blocks on a
 * full pipe, into an {@link OutputTail} and the SLF4J logger {@code fnharness.worker.process}. Once
 * the worker's logging is up, Python output goes over the Logging stream; what still shows up here
 * is start-up noise and crash output, which is exactly what error messages need.
 */
public final class OutputPump {

  static final Logger LOG = LoggerFactory.getLogger("fnharness.worker.process");

  private final Thread thread;

  private OutputPump(Thread thread) {
    this.thread = thread;
  }

  static OutputPump start(
      String workerId, String streamName, InputStream in, Level level, OutputTail tail) {
    Runnable pump =
        () -> {
          try (BufferedReader reader =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
              tail.add(line);
              LOG.atLevel(level).log("[{}] {}: {}", workerId, streamName, line);
            }
          } catch (IOException e) {
            // The process is gone and its pipe closed under us; nothing left to read.
          }
        };
    Thread thread = new Thread(pump, "fnharness-worker-" + workerId + "-" + streamName);
    thread.setDaemon(true);
    thread.start();
    return new OutputPump(thread);
  }

  /** Waits until everything the process wrote has been read (its pipe reached end of file). */
  void awaitDrained(long millis) {
    try {
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
