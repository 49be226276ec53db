package dev.fnharness.harness.environment;

import java.util.Map;

/** Turns a process exit code into words: the JDK reports death by signal N as 128 + N. */
public final class ExitCodes {

  private static final Map<Integer, String> SIGNAL_NAMES =
      Map.of(
          1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 4, "SIGILL", 6, "SIGABRT", 7, "SIGBUS", 8,
          "SIGFPE", 9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM");

  private ExitCodes() {}

  /** E.g. {@code "exit code 1"} or {@code "exit code 137 (killed by signal 9 (SIGKILL))"}. */
  static String describe(int exitCode) {
    if (exitCode > 128 && exitCode < 128 + 65) {
      int signal = exitCode - 128;
      String name = SIGNAL_NAMES.getOrDefault(signal, "SIG" + signal);
      return "exit code " + exitCode + " (killed by signal " + signal + " (" + name + "))";
    }
    return "exit code " + exitCode;
  }
}
