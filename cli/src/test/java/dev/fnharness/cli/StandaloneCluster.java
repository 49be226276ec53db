package dev.fnharness.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flink standalone session cluster as separate JVMs on loopback, from Flink's Maven Central jars
 * alone (no flink-dist): one JobManager ({@code StandaloneSessionClusterEntrypoint}) and
 * TaskManagers ({@code TaskManagerRunner}), each with its own temp and blob directories. Closing
 * stops every process and whatever they started; a shutdown hook does the same if the test JVM
 * exits first.
 */
final class StandaloneCluster implements AutoCloseable {

  private static final String JOB_MANAGER =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  private static final String TASK_MANAGER =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

  private final Path home;
  private final String classpath;
  private final int restPort;
  private final List<Process> processes = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::stopAll, "stop-standalone-cluster");

  private StandaloneCluster(Path home, String classpath, int restPort) {
    this.home = home;
    this.classpath = classpath;
    this.restPort = restPort;
  }

  /**
   * Starts a JobManager and {@code taskManagers} TaskManagers with 2 slots each; waits for them.
   */
  static StandaloneCluster start(Path home, String classpath, int taskManagers) throws Exception {
    StandaloneCluster cluster = new StandaloneCluster(home, classpath, freePort());
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    try {
      cluster.writeConfiguration(freePort());
      cluster.launch("jobmanager", JOB_MANAGER);
      for (int i = 1; i <= taskManagers; i++) {
        cluster.launch(
            "taskmanager-" + i,
            TASK_MANAGER,
            "-Dtaskmanager.resource-id=taskmanager-" + i,
            "-Dio.tmp.dirs=" + cluster.taskManagerTmp(i),
            "-Dblob.storage.directory=" + cluster.home.resolve("taskmanager-" + i + "/blobs"));
      }
      cluster.awaitTaskManagers(taskManagers, Duration.ofSeconds(120));
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  int restPort() {
    return restPort;
  }

  /** The {@code io.tmp.dirs} of TaskManager {@code i} (1-based), where its file cache lives. */
  Path taskManagerTmp(int i) {
    return home.resolve("taskmanager-" + i + "/tmp");
  }

  /** The processes the TaskManagers started (Python workers), still alive. */
  List<String> taskManagerChildren() {
    List<String> children = new ArrayList<>();
    for (int i = 1; i < processes.size(); i++) {
      processes
          .get(i)
          .descendants()
          .filter(ProcessHandle::isAlive)
          .forEach(p -> children.add(p.pid() + " " + p.info().commandLine().orElse("?")));
    }
    return children;
  }

  private void writeConfiguration(int rpcPort) throws IOException {
    Path conf = Files.createDirectories(home.resolve("conf"));
    Files.writeString(
        conf.resolve("config.yaml"),
        String.join(
            "\n",
            "jobmanager.rpc.address: localhost",
            "jobmanager.rpc.port: " + rpcPort,
            "jobmanager.bind-host: localhost",
            "jobmanager.memory.process.size: 512m",
            "rest.address: localhost",
            "rest.bind-address: localhost",
            "rest.port: " + restPort,
            "taskmanager.host: localhost",
            "taskmanager.bind-host: localhost",
            "taskmanager.numberOfTaskSlots: 2",
            // what Flink's start-up scripts would otherwise work out and pass: every resource
            "taskmanager.cpu.cores: 2",
            "taskmanager.memory.task.off-heap.size: 0m",
            "taskmanager.memory.framework.heap.size: 64m",
            "taskmanager.memory.task.heap.size: 128m",
            "taskmanager.memory.framework.off-heap.size: 64m",
            "taskmanager.memory.managed.size: 16m",
            "taskmanager.memory.network.min: 32m",
            "taskmanager.memory.network.max: 32m",
            "taskmanager.memory.jvm-metaspace.size: 128m",
            "taskmanager.memory.jvm-overhead.min: 128m",
            "taskmanager.memory.jvm-overhead.max: 128m",
            "parallelism.default: 1",
            ""));
    Files.writeString(
        conf.resolve("log4j2.properties"),
        String.join(
            "\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.file.ref = File",
            "appender.file.type = File",
            "appender.file.name = File",
            "appender.file.fileName = ${sys:log.file}",
            "appender.file.layout.type = PatternLayout",
            "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
            ""));
  }

  private void launch(String name, String mainClass, String... dynamicProperties)
      throws IOException {
    Path dir = Files.createDirectories(home.resolve(name));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx320m");
    command.add("-XX:MaxDirectMemorySize=192m");
    command.add("-Dlog.file=" + dir.resolve(name + ".log"));
    command.add("-Dlog4j.configurationFile=" + home.resolve("conf/log4j2.properties"));
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.add("--configDir");
    command.add(home.resolve("conf").toString());
    command.addAll(List.of(dynamicProperties));
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve(name + ".out").toFile())
            .redirectError(dir.resolve(name + ".err").toFile())
            .start();
    processes.add(process);
    names.add(name);
  }

  private void awaitTaskManagers(int expected, Duration timeout) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + "/taskmanagers"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    int registered = 0;
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < processes.size(); i++) {
        if (!processes.get(i).isAlive()) {
          throw new IllegalStateException(
              names.get(i)
                  + " exited with "
                  + processes.get(i).exitValue()
                  + ":\n"
                  + tail(names.get(i)));
        }
      }
      try {
        String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        Matcher ids = Pattern.compile("\"id\"\\s*:").matcher(body);
        registered = 0;
        while (ids.find()) {
          registered++;
        }
        if (registered >= expected) {
          return;
        }
      } catch (IOException notYetListening) {
        // the JobManager is still starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        registered
            + " of "
            + expected
            + " TaskManagers registered within "
            + timeout
            + "\n"
            + tail("jobmanager")
            + "\n"
            + tail("taskmanager-1"));
  }

  /** The last lines of a process's log and stderr, for failure messages. */
  String tail(String name) {
    StringBuilder text = new StringBuilder("--- " + name + " ---\n");
    for (String suffix : List.of(".log", ".err")) {
      Path file = home.resolve(name).resolve(name + suffix);
      try {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        lines
            .subList(Math.max(0, lines.size() - 60), lines.size())
            .forEach(l -> text.append(l).append('\n'));
      } catch (IOException e) {
        text.append("(no ").append(file).append(")\n");
      }
    }
    return text.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** TaskManagers first (they stop their Python workers), then the JobManager; forcibly if slow. */
  private void stopAll() {
    List<ProcessHandle> started = new ArrayList<>();
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process process = processes.get(i);
      process.descendants().forEach(started::add);
      started.add(process.toHandle());
      process.destroy();
    }
    for (Process process : processes) {
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }
}
