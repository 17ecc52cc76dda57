package dev.outpost.ops.lag;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The status of a partition from its samples over the window, oldest first, and the rule that set
 * it. Lag here is in records: the transaction markers after a caught-up group's last record are
 * not lag, so a caught-up reader of a transactional topic is OK and stays OK. The rules, in order:
 *
 * <ol>
 *   <li><b>ERROR</b> when the newest sample could not be read, or its committed offset is beyond
 *       the log end.
 *   <li><b>REWIND</b> when the committed offset went backwards between two samples in the window.
 *   <li><b>OK</b> when the newest sample has no lag: caught up, however old the records are.
 *   <li><b>STOP</b> when the group has no members in the newest sample (and there is lag).
 *   <li>With fewer than {@link #minSamples()} samples nothing more can be judged: <b>OK</b>.
 *   <li><b>STALL</b> when the committed offset is the same in every sample of the window.
 *   <li><b>WARNING</b> when the lag grew from each sample to the next across the window.
 *   <li>Otherwise <b>OK</b>: committing, and not steadily falling behind.
 * </ol>
 *
 * <p>Apart from the statuses, a group ages out of the report ({@link LagMonitor} applies this): one
 * without members whose committed offsets have not moved for {@link #emptyAge()} (nobody runs it
 * any more), or one without members all of whose topics were deleted (a replay namespace removed,
 * say), or that has no committed offsets left (Kafka drops those of deleted topics).
 *
 * @param window how many of the newest samples to judge
 * @param minSamples the fewest samples that can show a trend
 * @param emptyAge how long a group may have no members, its offsets unmoved, before it ages out
 */
public record StatusRules(int window, int minSamples, Duration emptyAge) {

  /** How long an empty group stays in the report by default. */
  public static final Duration DEFAULT_EMPTY_AGE = Duration.ofHours(1);

  /** Ten samples; trends need three; an empty group ages out after an hour. */
  public static final StatusRules DEFAULT = new StatusRules(10, 3, DEFAULT_EMPTY_AGE);

  /**
   * A status and the rule that set it.
   *
   * @param status the status
   * @param reason the rule, in words, with the numbers it was judged on
   */
  public record Verdict(LagStatus status, String reason) {}

  /** Checks the sizes. */
  public StatusRules {
    if (minSamples < 2 || window < minSamples) {
      throw new IllegalArgumentException(
          "need 2 <= min samples <= window, got window " + window + " and min samples " + minSamples);
    }
    Objects.requireNonNull(emptyAge, "emptyAge");
    if (emptyAge.isNegative()) {
      throw new IllegalArgumentException("the empty age cannot be negative, got " + emptyAge);
    }
  }

  /**
   * Rules whose empty groups age out after {@link #DEFAULT_EMPTY_AGE}.
   *
   * @param window how many of the newest samples to judge
   * @param minSamples the fewest samples that can show a trend
   */
  public StatusRules(final int window, final int minSamples) {
    this(window, minSamples, DEFAULT_EMPTY_AGE);
  }

  /**
   * @param samples one partition's samples, oldest first
   * @return its status
   */
  public LagStatus evaluate(final List<Sample> samples) {
    return judge(samples).status();
  }

  /**
   * @param samples one partition's samples, oldest first
   * @return its status and the rule that set it
   */
  public Verdict judge(final List<Sample> samples) {
    if (samples.isEmpty()) {
      return new Verdict(LagStatus.OK, "not sampled yet");
    }
    final List<Sample> w = samples.subList(Math.max(0, samples.size() - window), samples.size());
    final Sample newest = w.get(w.size() - 1);
    if (newest.error() != null) {
      return new Verdict(LagStatus.ERROR, "the offsets could not be read: " + newest.error());
    }
    if (newest.committed() > newest.end()) {
      return new Verdict(
          LagStatus.ERROR,
          "the committed offset " + newest.committed() + " is past the log end " + newest.end() + " (was the topic recreated?)");
    }
    for (int i = 1; i < w.size(); i++) {
      final long before = w.get(i - 1).committed();
      final long after = w.get(i).committed();
      if (before >= 0 && after >= 0 && after < before) {
        return new Verdict(
            LagStatus.REWIND, "the committed offset went back from " + before + " to " + after + " within the last " + w.size() + " samples");
      }
    }
    if (newest.committed() < 0) {
      return new Verdict(LagStatus.OK, "no committed offset yet");
    }
    if (newest.lag() == 0) {
      return new Verdict(LagStatus.OK, "caught up");
    }
    if (!newest.groupActive()) {
      return new Verdict(LagStatus.STOP, "no members, and " + records(newest.lag()) + " behind");
    }
    if (w.size() < minSamples) {
      return new Verdict(LagStatus.OK, records(newest.lag()) + " behind; " + w.size() + " sample(s) so far, a trend needs " + minSamples);
    }
    if (w.stream().allMatch(s -> s.committed() == newest.committed())) {
      return new Verdict(
          LagStatus.STALL,
          "the committed offset has not moved for " + w.size() + " samples while " + records(newest.lag()) + " wait");
    }
    boolean growing = true;
    for (int i = 1; i < w.size() && growing; i++) {
      growing = w.get(i).lag() > w.get(i - 1).lag();
    }
    if (growing) {
      return new Verdict(
          LagStatus.WARNING,
          "committing, but the lag grew at each of the last " + w.size() + " samples, from " + w.get(0).lag() + " to " + newest.lag());
    }
    return new Verdict(LagStatus.OK, "committing, " + records(newest.lag()) + " behind and not steadily falling further");
  }

  private static String records(final long n) {
    return String.format(Locale.ROOT, "%,d record%s", n, n == 1 ? "" : "s");
  }
}
