package dev.outpost.classifier.story;

import java.time.Duration;
import java.util.Objects;

/**
 * When stories of one category about one state make a surge. The defaults follow ACLED's
 * Subnational Surge Tracker (acleddata.com, "Subnational Threat &amp; Surge Trackers"): a surge is
 * an increase of 100% or more in the most recent week over the average week of the four before it,
 * and a unit whose four-week average is under one is not flagged, so that one event where there
 * were none is not a surge. Outpost counts stories, not items, so fifty outlets reporting one
 * exercise count once.
 *
 * @param window the recent window
 * @param baselineWindows how many windows before it make the baseline
 * @param factor how many times the baseline's average the recent window must reach (2.0: +100%)
 * @param minBaseline the least baseline average a surge is measured against: with a quieter
 *     baseline the recent window must reach {@code factor × minBaseline} stories
 */
public record SurgeRules(Duration window, int baselineWindows, double factor, double minBaseline) {

  /** Checks the values. */
  public SurgeRules {
    Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("surge window must be positive, was " + window);
    }
    if (baselineWindows < 1) {
      throw new IllegalArgumentException("surge baseline must be at least 1 window, was " + baselineWindows);
    }
    if (!(factor > 1.0)) {
      throw new IllegalArgumentException("surge factor must be above 1, was " + factor);
    }
    if (!(minBaseline > 0.0)) {
      throw new IllegalArgumentException("surge minimum baseline must be above 0, was " + minBaseline);
    }
  }

  /**
   * @return a week against the four before it, a surge at +100% over a baseline of at least one
   *     story a week
   */
  public static SurgeRules defaults() {
    return new SurgeRules(Duration.ofDays(7), 4, 2.0, 1.0);
  }

  /**
   * @return how far back the tracker must remember story starts
   */
  public Duration horizon() {
    return window.multipliedBy(baselineWindows + 1L);
  }

  /**
   * @param recent stories in the recent window
   * @param baseline stories in the baseline windows
   * @return whether that is a surge
   */
  public boolean surges(final int recent, final int baseline) {
    return recent >= threshold(baseline);
  }

  /**
   * @param baseline stories in the baseline windows
   * @return the stories the recent window must reach
   */
  public double threshold(final int baseline) {
    return factor * Math.max(baseline / (double) baselineWindows, minBaseline);
  }
}
