package dev.outpost.classifier.story;

import java.time.Duration;
import java.util.Objects;

/**
 * When an alert joins a story. Defaults were chosen on the tuning part of the story development
 * set ({@code modules/classifier/devset/events}), never on its held-out part.
 *
 * @param joinGap how far apart in event time an alert and a story may be and still join on shared
 *     states alone (same category, at least one state in common)
 * @param quietPeriod how long a story stays open with nothing joining it; an alert whose evidence
 *     names the same exercise or parade joins within it, and after it the story closes
 * @param textThreshold the sketch similarity at which an alert or a story without states joins on
 *     text, within {@code joinGap}
 * @param maxOpenStories how many stories may be open at once in one task; past it the one quiet
 *     longest closes early, so state stays bounded whatever the input
 */
public record StoryRules(
    Duration joinGap, Duration quietPeriod, double textThreshold, int maxOpenStories) {

  /** Two days: wire copies and next-day follow-ups, not next week's different exercise. */
  public static final Duration DEFAULT_JOIN_GAP = Duration.ofDays(2);

  /** Thirty days: an exercise announced weeks before it starts is still one story. */
  public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofDays(30);

  /** The default text threshold. */
  public static final double DEFAULT_TEXT_THRESHOLD = 0.3;

  /** The default bound on open stories per task. */
  public static final int DEFAULT_MAX_OPEN_STORIES = 20_000;

  /** Checks the values. */
  public StoryRules {
    Objects.requireNonNull(joinGap, "joinGap");
    Objects.requireNonNull(quietPeriod, "quietPeriod");
    if (joinGap.isNegative()) {
      throw new IllegalArgumentException("story join gap must not be negative, was " + joinGap);
    }
    if (quietPeriod.compareTo(joinGap) < 0 || quietPeriod.isZero()) {
      throw new IllegalArgumentException(
          "story quiet period must be positive and at least the join gap (" + joinGap + "), was " + quietPeriod);
    }
    if (!(textThreshold > 0.0 && textThreshold <= 1.0)) {
      throw new IllegalArgumentException("story text threshold must be in (0, 1], was " + textThreshold);
    }
    if (maxOpenStories < 1) {
      throw new IllegalArgumentException("max open stories must be at least 1, was " + maxOpenStories);
    }
  }

  /**
   * @return the defaults
   */
  public static StoryRules defaults() {
    return new StoryRules(DEFAULT_JOIN_GAP, DEFAULT_QUIET_PERIOD, DEFAULT_TEXT_THRESHOLD, DEFAULT_MAX_OPEN_STORIES);
  }

  /**
   * @param quiet another quiet period
   * @return these rules with it
   */
  public StoryRules withQuietPeriod(final Duration quiet) {
    return new StoryRules(joinGap, quiet, textThreshold, maxOpenStories);
  }

  /**
   * @param max another bound
   * @return these rules with it
   */
  public StoryRules withMaxOpenStories(final int max) {
    return new StoryRules(joinGap, quietPeriod, textThreshold, max);
  }
}
