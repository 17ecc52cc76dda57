package dev.outpost.subscribers;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a subscriber starts reading: where its group stopped, the earliest or latest alerts, or
 * the first alerts at or after a time.
 *
 * @param kind which of the four
 * @param time for {@link Kind#TIME}, the time; else null
 */
public record Position(Kind kind, Instant time) {

  /** The kinds of start position. */
  public enum Kind {
    /** The group's committed offsets; the latest alerts for a new group. */
    COMMITTED,
    /** The oldest alerts still kept. */
    EARLIEST,
    /** Only alerts that arrive from now on. */
    LATEST,
    /** The first alerts classified at or after a time (not their news's event time). */
    TIME
  }

  /** Where the group stopped. */
  public static final Position COMMITTED = new Position(Kind.COMMITTED, null);

  /** Checks that a time comes with {@link Kind#TIME} and only with it. */
  public Position {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.TIME) != (time != null)) {
      throw new IllegalArgumentException("a time goes with TIME and only with it");
    }
  }

  /**
   * @param text {@code earliest}, {@code latest} or an ISO-8601 instant such as {@code
   *     2026-11-28T09:00:00Z}
   * @return the position
   * @throws IllegalArgumentException saying what is accepted
   */
  public static Position parse(final String text) {
    final String value = text.trim();
    switch (value.toLowerCase(Locale.ROOT)) {
      case "earliest":
        return new Position(Kind.EARLIEST, null);
      case "latest":
        return new Position(Kind.LATEST, null);
      default:
        try {
          return new Position(Kind.TIME, Instant.parse(value));
        } catch (final DateTimeParseException e) {
          throw new IllegalArgumentException(
              "'" + text + "' is not earliest, latest or an ISO-8601 time such as 2026-11-28T09:00:00Z", e);
        }
    }
  }
}
