package dev.fnharness.examples.cdn;

import java.io.PrintStream;
import java.util.Locale;

/** Prints "N rows, R rows/s" at most every two seconds, from the counts the job reports. */
final class ProgressLine {

  private static final long INTERVAL_NANOS = 2_000_000_000L;

  private final PrintStream out;
  private final long start = System.nanoTime();
  private long rows;

  /** Rates count from the first report on, so the job's start-up does not drag them down. */
  private long lastPrint = -1;

  private long rowsAtLastPrint;

  ProgressLine(PrintStream out) {
    this.out = out;
  }

  void add(long count) {
    rows += count;
    long now = System.nanoTime();
    if (lastPrint < 0) {
      lastPrint = now;
      rowsAtLastPrint = rows;
    } else if (now - lastPrint >= INTERVAL_NANOS) {
      double rate = (rows - rowsAtLastPrint) / ((now - lastPrint) / 1e9);
      out.printf(Locale.ROOT, "progress: %,d rows, %,.0f rows/s%n", rows, rate);
      lastPrint = now;
      rowsAtLastPrint = rows;
    }
  }

  double secondsSinceStart() {
    return (System.nanoTime() - start) / 1e9;
  }
}
