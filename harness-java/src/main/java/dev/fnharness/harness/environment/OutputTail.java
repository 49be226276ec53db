package dev.fnharness.harness.environment;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last lines a worker process printed, bounded in lines and characters, for error messages: a
 * crash report needs the end of the output (the traceback), never all of it.
 */
public final class OutputTail {

  private final int maxLines;
  private final int maxChars;
  private final Deque<String> lines = new ArrayDeque<>();
  private int chars;
  private long dropped;

  OutputTail(int maxLines, int maxChars) {
    this.maxLines = maxLines;
    this.maxChars = maxChars;
  }

  synchronized void add(String line) {
    if (line.length() > maxChars) {
      line = "…" + line.substring(line.length() - maxChars + 1);
    }
    lines.addLast(line);
    chars += line.length();
    while (lines.size() > maxLines || chars > maxChars) {
      chars -= lines.removeFirst().length();
      dropped++;
    }
  }

  synchronized boolean isEmpty() {
    return lines.isEmpty();
  }

  /** The kept lines, newline-separated, with a note if earlier lines were dropped. */
  synchronized String text() {
    StringBuilder text = new StringBuilder();
    if (dropped > 0) {
      text.append("[… ").append(dropped).append(" earlier lines omitted]\n");
    }
    for (String line : lines) {
      text.append(line).append('\n');
    }
    return text.toString();
  }
}
