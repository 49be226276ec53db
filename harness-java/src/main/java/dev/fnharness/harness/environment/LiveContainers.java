package dev.fnharness.harness.environment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every worker container this JVM started that may still exist, plus one shutdown hook that removes
 * them: killing the {@code docker run} clients at exit ({@link LiveWorkerProcesses}) would not stop
 * the containers themselves.
 */
public final class LiveContainers {

  private static final Logger LOG = LoggerFactory.getLogger(LiveContainers.class);
  private static final long REMOVE_TIMEOUT_SECONDS = 20;

  /** container name → docker executable */
  private static final Map<String, String> LIVE = new ConcurrentHashMap<>();

  private static volatile boolean hookInstalled;

  private LiveContainers() {}

  static void add(String docker, String name) {
    installHookOnce();
    LIVE.put(name, docker);
  }

  static void remove(String name) {
    LIVE.remove(name);
  }

  /** {@code docker rm -f NAME}, waited for; a container that is already gone is fine. */
  static void removeContainer(String docker, String name) {
    run(docker, List.of(name));
    LIVE.remove(name);
  }

  private static void run(String docker, List<String> names) {
    List<String> command = new ArrayList<>(List.of(docker, "rm", "-f"));
    command.addAll(names);
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(REMOVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        LOG.warn(
            "'{}' did not finish within {} s", String.join(" ", command), REMOVE_TIMEOUT_SECONDS);
      }
    } catch (IOException e) {
      LOG.warn("Cannot run '{}'", String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void installHookOnce() {
    if (hookInstalled) {
      return;
    }
    synchronized (LiveContainers.class) {
      if (!hookInstalled) {
        Runtime.getRuntime()
            .addShutdownHook(new Thread(LiveContainers::removeAll, "fnharness-container-reaper"));
        hookInstalled = true;
      }
    }
  }

  private static void removeAll() {
    Map<String, List<String>> byDocker = new HashMap<>();
    LIVE.forEach(
        (name, docker) -> byDocker.computeIfAbsent(docker, d -> new ArrayList<>()).add(name));
    byDocker.forEach(LiveContainers::run);
  }
}
