package dev.outpost.ingest.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * How fast a replay sends items: as fast as the cluster takes them, or paced by the gaps between
 * their publication times, at real time or a multiple of it.
 *
 * @param factor event-time seconds per wall-clock second; 0 for no pacing
 */
public record ReplaySpeed(double factor) {

  /** No pacing. */
  public static final ReplaySpeed MAX = new ReplaySpeed(0);

  /**
   * @param text {@code max}, {@code realtime}, or a multiple of real time such as {@code 60x} or
   *     {@code 0.5x}
   * @return the speed
   * @throws IllegalArgumentException naming what is accepted
   */
  public static ReplaySpeed parse(final String text) {
    final String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("max")) {
      return MAX;
    }
    if (t.equals("realtime")) {
      return new ReplaySpeed(1);
    }
    if (t.endsWith("x")) {
      try {
        final double factor = Double.parseDouble(t.substring(0, t.length() - 1));
        if (factor > 0 && Double.isFinite(factor)) {
          return new ReplaySpeed(factor);
        }
      } catch (final NumberFormatException e) {
        // Falls through to the message below.
      }
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not a speed: use max, realtime, or a positive multiple of real time such as 60x");
  }

  /** @return true when items are sent as fast as possible */
  public boolean unpaced() {
    return factor == 0;
  }

  /**
   * @param firstEvent the publication time of the first item this run sent
   * @param elapsed wall-clock time since that item was sent
   * @param event the publication time of the next item
   * @return how long to wait before sending it; zero when it is due, or was due (an item earlier
   *     than one already sent goes at once)
   */
  public Duration delay(final Instant firstEvent, final Duration elapsed, final Instant event) {
    if (unpaced()) {
      return Duration.ZERO;
    }
    final double dueNanos = Duration.between(firstEvent, event).toNanos() / factor;
    final long wait = (long) dueNanos - elapsed.toNanos();
    return wait > 0 ? Duration.ofNanos(wait) : Duration.ZERO;
  }

  @Override
  public String toString() {
    if (unpaced()) {
      return "max";
    }
    return factor == 1 ? "realtime" : String.format(Locale.ROOT, "%sx", factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor));
  }
}
