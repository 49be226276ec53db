package dev.fnharness.harness;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker's own one-line account of why it could not start. A worker that fails before it
 * connects writes a line {@code fnharness worker[ <id>]: <summary>} (docs/protocol.md, "Start-up"),
 * e.g. that its interpreter lacks grpcio and the pip command that installs it; start-up errors put
 * that summary in their first line, where users look, instead of deep in the output below.
 */
public final class WorkerSummary {

  private static final Pattern LINE =
      Pattern.compile(
          "^fnharness worker(?: [^\\s:]+)?: (?:start-up failed: )?(.+)$", Pattern.MULTILINE);

  private WorkerSummary() {}

  /** {@code what}, followed by the worker's summary in {@code output} if it wrote one. */
  public static String appendedTo(String what, String output) {
    Matcher line = LINE.matcher(output == null ? "" : output);
    if (!line.find()) {
      return what;
    }
    String summary = line.group(1).strip();
    return what
        + ": "
        + (summary.endsWith(".") ? summary.substring(0, summary.length() - 1) : summary);
  }
}
