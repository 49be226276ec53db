package dev.fnharness.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this JVM's threads by kind (JIT compilers, GC, gRPC, ...), read from /proc/self/task
 * on Linux: to tell how much of the JVM's CPU per row is the pipeline and how much is the JVM
 * warming up. Empty where /proc is missing.
 */
final class JvmThreadTimes {

  static final String[] GROUPS = {"task", "jit", "gc", "grpc", "other"};

  /** CPU nanoseconds so far, with the thread's group, by thread id. */
  private final Map<String, Long> nanosByThread;

  private final Map<String, String> groupByThread;

  private JvmThreadTimes(Map<String, Long> nanosByThread, Map<String, String> groupByThread) {
    this.nanosByThread = nanosByThread;
    this.groupByThread = groupByThread;
  }

  static JvmThreadTimes now() {
    Map<String, Long> nanos = new HashMap<>();
    Map<String, String> groups = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String id = task.getFileName().toString();
          nanos.put(id, CpuClocks.cpuNanos(stat));
          groups.put(id, groupOf(name));
        } catch (IOException | RuntimeException threadEnded) {
          // it ended between listing and reading
        }
      }
    } catch (IOException | RuntimeException noProc) {
      return new JvmThreadTimes(Map.of(), Map.of());
    }
    return new JvmThreadTimes(nanos, groups);
  }

  private static String groupOf(String threadName) {
    // The benchmark's job is one chain that starts with its source, named "rows".
    if (threadName.startsWith("Source: rows")) {
      return "task";
    }
    if (threadName.contains("CompilerThre")) {
      return "jit";
    }
    if (threadName.startsWith("G1")
        || threadName.startsWith("GC ")
        || threadName.equals("VM Thread")) {
      return "gc";
    }
    if (threadName.startsWith("grpc")) {
      return "grpc";
    }
    return "other";
  }

  /**
   * Nanoseconds per row by group from {@code start} to this reading. Threads that ended in between
   * are missing: a lower bound per group.
   */
  Map<String, Long> perRow(JvmThreadTimes start, long rows) {
    Map<String, Long> result = new LinkedHashMap<>();
    for (String group : GROUPS) {
      result.put(group, 0L);
    }
    nanosByThread.forEach(
        (id, nanos) -> {
          long spent = nanos - start.nanosByThread.getOrDefault(id, 0L);
          result.merge(groupByThread.get(id), spent, Long::sum);
        });
    result.replaceAll((group, nanos) -> nanos / rows);
    return result;
  }
}
