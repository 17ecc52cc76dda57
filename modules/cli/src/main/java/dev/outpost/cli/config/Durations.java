package dev.outpost.cli.config;

import dev.outpost.cli.UserException;
import dev.outpost.clients.DurationText;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them, both ways: every option and setting that takes a duration reads
 * it with {@link #parse} ({@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 7d}, or
 * ISO-8601 for scripts written for that), and every message shows one with {@link #format}, in a
 * form {@link #parse} reads back.
 */
public final class Durations {

  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * @param option the option being parsed, for the error message
   * @param value the text
   * @return the duration
   * @throws UserException naming the option and the accepted forms
   */
  public static Duration parse(final String option, final String value) {
    final String text = value.trim().toLowerCase(Locale.ROOT);
    final Matcher m = SIMPLE.matcher(text);
    if (m.matches()) {
      final long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
    } catch (final DateTimeParseException e) {
      throw new UserException(
          "Invalid " + option + " '" + value + "': use a duration such as 250ms, 10s, 5m or 1h", e);
    }
  }

  /**
   * @param duration a duration
   * @return it as people type it: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h} or {@code 7d}
   * @see DurationText
   */
  public static String format(final Duration duration) {
    return DurationText.format(duration);
  }
}
