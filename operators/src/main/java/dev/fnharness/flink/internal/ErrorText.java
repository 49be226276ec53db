package dev.fnharness.flink.internal;

import java.util.List;
import java.util.Optional;

/**
 * fnharness's error texts, first line first: the first line of every message says what went wrong
 * (and, where it can, the fix), the lines after it hold the details (a Python traceback, the
 * worker's output, paths). Users, the command line and Flink's failure cause show the first line
 * first; so does this class when it reads a worker's error text.
 */
public final class ErrorText {

  private static final String TRACEBACK = "Traceback (most recent call last):";
  private static final List<String> CHAINED =
      List.of(
          "During handling of the above exception, another exception occurred:",
          "The above exception was the direct cause of the following exception:");

  private ErrorText() {}

  /** The first line. */
  public static String firstLine(String text) {
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }

  /** Everything after the first line (empty if there is none). */
  public static String afterFirstLine(String text) {
    int end = text.indexOf('\n');
    return end < 0 ? "" : text.substring(end + 1);
  }

  /**
   * The one-line summary of a worker's error text: its first line, and when that line ends in a
   * colon before a Python traceback ("... failed on row 3 (x=7):"), the exception the traceback
   * ends with ("ValueError: boom"), so that the line says what Python said.
   */
  public static String summary(String text) {
    String first = firstLine(text).strip();
    if (!first.endsWith(":")) {
      return first;
    }
    return traceback(text).map(t -> first + " " + exceptionLine(t)).orElse(first);
  }

  /**
   * The Python traceback in {@code text}, from "Traceback (most recent call last):" through the
   * exception it ends with, chained exceptions included; empty when there is none.
   */
  public static Optional<String> traceback(String text) {
    List<String> lines = text.lines().toList();
    int start = lines.indexOf(TRACEBACK);
    if (start < 0) {
      return Optional.empty();
    }
    int end = start + 1;
    while (true) {
      while (end < lines.size() && isFrame(lines.get(end))) {
        end++;
      }
      // the exception: its line and any further lines of its message, up to a blank line
      while (end < lines.size() && !lines.get(end).isBlank()) {
        end++;
      }
      if (end + 1 < lines.size() && CHAINED.contains(lines.get(end + 1))) {
        end += 2; // blank, "During handling ..."; then a blank and the next traceback
        while (end < lines.size() && !lines.get(end).equals(TRACEBACK)) {
          end++;
        }
        end = Math.min(end + 1, lines.size());
        continue;
      }
      return Optional.of(String.join("\n", lines.subList(start, end)));
    }
  }

  /** The line naming the exception a traceback ends with, e.g. {@code ValueError: boom}. */
  private static String exceptionLine(String traceback) {
    List<String> lines = traceback.lines().toList();
    int last = lines.size() - 1;
    // the exception's own lines follow the last frame
    int exception = last;
    while (exception > 0 && !isFrame(lines.get(exception - 1))) {
      exception--;
    }
    return lines.get(exception).strip();
  }

  /** Frames and their source lines are indented; the exception line is not. */
  private static boolean isFrame(String line) {
    return line.startsWith(" ") || line.startsWith("\t");
  }

  /**
   * {@code summary}, then the details and a note, each on lines of their own when present; a blank
   * line before the note keeps it apart from a traceback that ends the details.
   */
  public static String compose(String summary, String details, String note) {
    StringBuilder text = new StringBuilder(summary);
    boolean hasDetails = !details.isBlank();
    if (hasDetails) {
      text.append('\n').append(details.stripTrailing());
    }
    if (!note.isBlank()) {
      text.append(hasDetails ? "\n\n" : "\n").append(note);
    }
    return text.toString();
  }
}
