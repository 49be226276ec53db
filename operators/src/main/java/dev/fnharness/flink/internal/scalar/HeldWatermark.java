package dev.fnharness.flink.internal.scalar;

import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * The watermark a row operator holds back while bundles are in flight: it may pass once every
 * bundle open when it arrived has ended, so no row that came before it is emitted after it. A later
 * watermark replaces a held one; it waits for every bundle in flight, which covers the earlier's.
 */
final class HeldWatermark {

  private long bundlesOpened;
  private long bundlesEnded;

  private Watermark held;

  /** The held watermark may pass once this many bundles have ended. */
  private long passesAfterBundles;

  void bundleOpened() {
    bundlesOpened++;
  }

  /** Holds {@code mark} until every bundle opened so far has ended. */
  void hold(Watermark mark) {
    held = mark;
    passesAfterBundles = bundlesOpened;
  }

  /**
   * @return the watermark that may pass now that one more bundle has ended, or null
   */
  Watermark bundleEnded() {
    bundlesEnded++;
    if (held == null || bundlesEnded < passesAfterBundles) {
      return null;
    }
    Watermark passing = held;
    held = null;
    return passing;
  }
}
