package dev.fnharness.harness.environment;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every worker process this JVM started and that still runs, plus one shutdown hook that kills
 * them: a JVM that exits without closing its workers (System.exit, Ctrl-C) must not leave Python
 * processes behind.
 */
public final class LiveWorkerProcesses {

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static volatile boolean hookInstalled;

  private LiveWorkerProcesses() {}

  static void add(Process process) {
    installHookOnce();
    LIVE.add(process);
    process.onExit().thenRun(() -> LIVE.remove(process));
  }

  private static void installHookOnce() {
    if (hookInstalled) {
      return;
    }
    synchronized (LiveWorkerProcesses.class) {
      if (!hookInstalled) {
        Thread hook = new Thread(LiveWorkerProcesses::killAll, "fnharness-worker-reaper");
        Runtime.getRuntime().addShutdownHook(hook);
        hookInstalled = true;
      }
    }
  }

  private static void killAll() {
    for (Process process : LIVE) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    for (Process process : LIVE) {
      try {
        process.waitFor(500, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
