package dev.fnharness.harness.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Docker engine and the worker image for tests.
 *
 * <p>The engine: the running one if {@code docker info} answers; otherwise this JVM starts {@code
 * dockerd --iptables=false --bridge=none} (containers use host networking, so no bridge is needed)
 * and stops it when the JVM exits. Tests are skipped, with the reason printed, only when no engine
 * can be started at all (no {@code dockerd}, or it cannot run here).
 *
 * <p>The image: {@code worker-python/docker/build-offline-image.sh} over the worker's wheel (which
 * the worker-python module builds before any test runs), which needs no registry and tags by
 * content hash, so an unchanged worker reuses the image of an earlier run.
 */
public final class TestDocker {

  private static final long ENGINE_START_SECONDS = 60;
  private static final long IMAGE_BUILD_MINUTES = 20;

  private static String engineProblem;
  private static boolean engineChecked;
  private static String image;

  private TestDocker() {}

  /** Makes sure an engine runs, or aborts (skips) the calling test, printing why. */
  public static synchronized void requireEngine() {
    if (!engineChecked) {
      engineChecked = true;
      engineProblem = startEngineIfNeeded();
      if (engineProblem != null) {
        System.out.println("fnharness docker tests SKIPPED: " + engineProblem);
      }
    }
    Assumptions.assumeTrue(engineProblem == null, () -> "no Docker engine: " + engineProblem);
  }

  /** The worker image tag, built once per content (and reused across runs). */
  public static synchronized String image() {
    requireEngine();
    if (image == null) {
      Path script = repositoryRoot().resolve("worker-python/docker/build-offline-image.sh");
      Path log = tempLog("fnharness-image-build");
      Result built =
          run(
              List.of("bash", script.toString(), workerWheel().toString()),
              TimeUnit.MINUTES.toSeconds(IMAGE_BUILD_MINUTES),
              log);
      if (built.exitCode != 0) {
        throw new AssertionError(
            "Building the worker image failed (exit "
                + built.exitCode
                + "), log "
                + log
                + ":\n"
                + tail(log));
      }
      String[] lines = built.stdout.strip().split("\n");
      image = lines[lines.length - 1].strip();
    }
    return image;
  }

  /** worker-python/target/fnharness_worker-VERSION-py3-none-any.whl, the one the build made. */
  private static Path workerWheel() {
    Path target = repositoryRoot().resolve("worker-python/target");
    try (Stream<Path> files = Files.list(target)) {
      List<Path> wheels =
          files
              .filter(f -> f.getFileName().toString().matches("fnharness_worker-.*\\.whl"))
              .toList();
      if (wheels.size() != 1) {
        throw new AssertionError(
            "Expected one worker wheel in "
                + target
                + " (mvn package -pl worker-python -am), found "
                + wheels);
      }
      return wheels.get(0);
    } catch (IOException e) {
      throw new AssertionError("No worker wheel: " + target + " cannot be listed", e);
    }
  }

  /** Containers a test may have left: those carrying our label. */
  public static List<String> fnharnessContainers() {
    Result listed =
        run(
            List.of(
                "docker",
                "ps",
                "-a",
                "--filter",
                "label=fnharness.worker",
                "--format",
                "{{.Names}}"),
            30,
            null);
    List<String> names = new ArrayList<>();
    for (String line : listed.stdout.split("\n")) {
      if (!line.isBlank()) {
        names.add(line.strip());
      }
    }
    return names;
  }

  /** Whether a container of this name exists (running or not). */
  public static boolean containerExists(String name) {
    return run(List.of("docker", "container", "inspect", name), 30, null).exitCode == 0;
  }

  /** Runs {@code docker ARGS...} and returns its exit code. */
  public static int docker(String... args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    return run(command, 60, null).exitCode;
  }

  /** The engine these tests started, which lives as long as the JVM; null if one was running. */
  private static volatile ProcessHandle startedEngine;

  /** Whether {@code process} is the Docker engine these tests started (not a leftover). */
  public static boolean isStartedEngine(ProcessHandle process) {
    ProcessHandle engine = startedEngine;
    return engine != null && engine.pid() == process.pid();
  }

  private static String startEngineIfNeeded() {
    if (run(List.of("docker", "info"), 30, null).exitCode == 0) {
      return null;
    }
    Path dockerd = Path.of("/usr/sbin/dockerd");
    if (!Files.isExecutable(dockerd)
        && !Files.isExecutable(dockerd = Path.of("/usr/bin/dockerd"))) {
      return "no engine answers 'docker info' and no dockerd is installed (apt-get install docker.io)";
    }
    Path log = tempLog("fnharness-dockerd");
    Process engine;
    try {
      engine =
          new ProcessBuilder(dockerd.toString(), "--iptables=false", "--bridge=none")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      return "cannot start " + dockerd + ": " + e.getMessage();
    }
    startedEngine = engine.toHandle();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(engine), "fnharness-dockerd-stop"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ENGINE_START_SECONDS);
    while (System.nanoTime() < deadline) {
      if (!engine.isAlive()) {
        return dockerd + " exited with code " + engine.exitValue() + ":\n" + tail(log);
      }
      if (run(List.of("docker", "info"), 30, null).exitCode == 0) {
        System.out.println("fnharness docker tests: started " + dockerd + " (log " + log + ")");
        return null;
      }
      sleep(250);
    }
    stop(engine);
    return dockerd + " did not answer within " + ENGINE_START_SECONDS + " s:\n" + tail(log);
  }

  private static void stop(Process engine) {
    engine.destroy();
    try {
      if (!engine.waitFor(20, TimeUnit.SECONDS)) {
        engine.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The checkout's root: tests run in a module directory. */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("worker-python"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "no worker-python directory above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  private static Path tempLog(String prefix) {
    try {
      return Files.createTempFile(prefix + "-" + ProcessHandle.current().pid() + "-", ".log");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Result(int exitCode, String stdout) {}

  /** Runs a command; stderr goes to {@code log} (or is merged into stdout without one). */
  private static Result run(List<String> command, long timeoutSeconds, Path log) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      if (log == null) {
        builder.redirectErrorStream(true);
      } else {
        builder.redirectError(log.toFile());
      }
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, new String(out, StandardCharsets.UTF_8));
      }
      return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
