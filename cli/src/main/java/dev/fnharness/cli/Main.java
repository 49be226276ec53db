package dev.fnharness.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code fnharness}: the command line. Exit codes: 0 done, 1 the job failed, 2 bad usage. */
@Command(
    name = "fnharness",
    mixinStandardHelpOptions = true,
    version = "fnharness 0.1.0",
    description = "Python user-defined functions for Apache Flink over Beam's Fn API.",
    subcommands = {RunCommand.class, CommandLine.HelpCommand.class})
public final class Main {

  static final int JOB_FAILED = 1;
  static final int USAGE = 2;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  static int execute(String... args) {
    return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /**
   * Runs the command line and returns the exit code; help goes to {@code out}, messages to {@code
   * err}.
   */
  static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(new Main()).setOut(out).setErr(err);
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof SpecException || e instanceof IllegalArgumentException) {
            cmd.getErr().println("fnharness: " + e.getMessage());
            return USAGE;
          }
          throw e;
        });
    return commandLine.execute(args);
  }
}
