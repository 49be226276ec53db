package dev.fnharness.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * "progress: N rows, R rows/s" on stderr every few seconds while rows come back. Rates count from
 * the first row, so that the job's start-up does not hide the throughput.
 */
final class Progress {

  private final PrintWriter out;
  private final long intervalNanos;
  private final long start = System.nanoTime();
  private long firstRow = -1;
  private long lastPrint;
  private long rowsAtLastPrint;

  Progress(PrintWriter out, double intervalSeconds) {
    this.out = out;
    this.intervalNanos = (long) (intervalSeconds * 1e9);
  }

  /** Prints when the interval has passed since the last line. */
  void update(long rows, long rejected) {
    long now = System.nanoTime();
    if (firstRow < 0) {
      firstRow = now;
      lastPrint = now;
      rowsAtLastPrint = rows;
      return;
    }
    if (now - lastPrint < intervalNanos) {
      return;
    }
    double rate = (rows - rowsAtLastPrint) / ((now - lastPrint) / 1e9);
    out.printf(
        Locale.ROOT,
        "progress: %,d rows, %,.0f rows/s%s%n",
        rows,
        rate,
        rejected == 0 ? "" : String.format(Locale.ROOT, ", %,d lines rejected", rejected));
    out.flush();
    lastPrint = now;
    rowsAtLastPrint = rows;
  }

  /** E.g. "in 5.2 s (start-up 4.9 s, then 6,500 rows/s)". */
  String summary(long rows) {
    long now = System.nanoTime();
    if (firstRow < 0) {
      return String.format(Locale.ROOT, "in %.1f s", (now - start) / 1e9);
    }
    double running = Math.max((now - firstRow) / 1e9, 1e-3);
    return String.format(
        Locale.ROOT,
        "in %.1f s (start-up %.1f s, then %,.0f rows/s)",
        (now - start) / 1e9,
        (firstRow - start) / 1e9,
        rows / running);
  }
}
