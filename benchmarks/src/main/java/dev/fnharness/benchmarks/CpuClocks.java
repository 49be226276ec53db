package dev.fnharness.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent so far by the calling thread, this JVM and the Python workers it started: to tell
 * where each row's time goes, and a figure less shaken than rows/s when other jobs share the
 * machine. Workers are read from /proc (Linux); elsewhere their time is reported as unknown.
 */
record CpuClocks(long threadNanos, long jvmNanos, long workerNanos) {

  /** /proc's clock ticks per second: 100 on every Linux kernel we meet (USER_HZ). */
  private static final long TICKS_PER_SECOND = 100;

  static CpuClocks now() {
    return new CpuClocks(
        ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(),
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime(),
        readWorkerNanos());
  }

  /** Nanoseconds per row from {@code start} to this reading. */
  CpuClocks perRow(CpuClocks start, long rows) {
    return new CpuClocks(
        (threadNanos - start.threadNanos) / rows,
        (jvmNanos - start.jvmNanos) / rows,
        workerNanos < 0 || start.workerNanos < 0 ? -1 : (workerNanos - start.workerNanos) / rows);
  }

  /** User and system time of the running Python workers below this JVM; -1 if unknown. */
  private static long readWorkerNanos() {
    long nanos = 0;
    for (ProcessHandle worker :
        ProcessHandle.current()
            .descendants()
            .filter(p -> p.info().commandLine().orElse("").contains("fnharness_worker"))
            .toList()) {
      try {
        nanos += cpuNanos(Files.readString(Path.of("/proc/" + worker.pid() + "/stat")));
      } catch (IOException | RuntimeException e) {
        return -1;
      }
    }
    return nanos;
  }

  /** User plus system time in a /proc/PID/stat or /proc/PID/task/TID/stat line, in nanoseconds. */
  static long cpuNanos(String stat) {
    // Fields after the command name, which is in parentheses and may hold spaces.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
    return ticks * (1_000_000_000L / TICKS_PER_SECOND);
  }
}
