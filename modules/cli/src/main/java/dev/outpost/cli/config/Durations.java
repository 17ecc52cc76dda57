package dev.outpost.cli.config;

import dev.outpost.cli.UserException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as people type them: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, or ISO-8601. */
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
          "Invalid " + option + " '" + value + "': use a duration such as 500ms, 10s, 5m, 1h or PT30S", e);
    }
  }
}
