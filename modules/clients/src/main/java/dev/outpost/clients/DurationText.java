package dev.outpost.clients;

import java.time.Duration;

/**
 * Writes a duration the way people type it, and the way the {@code outpost} command reads it back:
 * {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 7d}, in the largest unit that holds it
 * whole ({@code 90s}, not {@code 1m30s}, nor {@link Duration#toString()}'s {@code PT1M30S}).
 *
 * <p>It lives here, the lowest module every other one that prints a duration depends on, so that
 * messages of the clients, the libraries above them and the commands say durations alike.
 */
public final class DurationText {

  private DurationText() {}

  /**
   * @param duration a duration
   * @return it as {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h} or {@code 7d}; a part of a
   *     millisecond is rounded up, so that no positive duration reads {@code 0ms}
   */
  public static String format(final Duration duration) {
    if (duration.isNegative()) {
      return "-" + format(duration.negated());
    }
    if (duration.isZero()) {
      return "0s";
    }
    final long millis = duration.toNanos() % 1_000_000 == 0 ? duration.toMillis() : duration.toMillis() + 1;
    if (millis % 1000 != 0) {
      return millis + "ms";
    }
    final long seconds = millis / 1000;
    if (seconds % 60 != 0) {
      return seconds + "s";
    }
    final long minutes = seconds / 60;
    if (minutes % 60 != 0) {
      return minutes + "m";
    }
    final long hours = minutes / 60;
    return hours % 24 != 0 ? hours + "h" : hours / 24 + "d";
  }
}
