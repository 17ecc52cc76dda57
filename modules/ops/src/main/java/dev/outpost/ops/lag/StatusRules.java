package dev.outpost.ops.lag;

import java.util.List;

/**
 * The status of a partition from its samples over the window, oldest first. The rules, in order:
 *
 * <ol>
 *   <li><b>ERROR</b> when the newest sample could not be read, or its committed offset is beyond
 *       the log end.
 *   <li><b>REWIND</b> when the committed offset went backwards between two samples in the window.
 *   <li><b>OK</b> when the newest sample has no lag.
 *   <li><b>STOP</b> when the group has no members in the newest sample (and there is lag).
 *   <li>With fewer than {@link #minSamples()} samples nothing more can be judged: <b>OK</b>.
 *   <li><b>STALL</b> when the committed offset is the same in every sample of the window.
 *   <li><b>WARNING</b> when the lag grew from each sample to the next across the window.
 *   <li>Otherwise <b>OK</b>: committing, and not steadily falling behind.
 * </ol>
 *
 * @param window how many of the newest samples to judge
 * @param minSamples the fewest samples that can show a trend
 */
public record StatusRules(int window, int minSamples) {

  /** Ten samples; trends need three. */
  public static final StatusRules DEFAULT = new StatusRules(10, 3);

  /** Checks the sizes. */
  public StatusRules {
    if (minSamples < 2 || window < minSamples) {
      throw new IllegalArgumentException(
          "need 2 <= min samples <= window, got window " + window + " and min samples " + minSamples);
    }
  }

  /**
   * @param samples one partition's samples, oldest first
   * @return its status
   */
  public LagStatus evaluate(final List<Sample> samples) {
    if (samples.isEmpty()) {
      return LagStatus.OK;
    }
    final List<Sample> w = samples.subList(Math.max(0, samples.size() - window), samples.size());
    final Sample newest = w.get(w.size() - 1);
    if (newest.error() != null || newest.committed() > newest.end()) {
      return LagStatus.ERROR;
    }
    for (int i = 1; i < w.size(); i++) {
      if (w.get(i - 1).committed() >= 0 && w.get(i).committed() >= 0 && w.get(i).committed() < w.get(i - 1).committed()) {
        return LagStatus.REWIND;
      }
    }
    if (newest.lag() == 0) {
      return LagStatus.OK;
    }
    if (!newest.groupActive()) {
      return LagStatus.STOP;
    }
    if (w.size() < minSamples) {
      return LagStatus.OK;
    }
    if (w.stream().allMatch(s -> s.committed() == newest.committed())) {
      return LagStatus.STALL;
    }
    boolean growing = true;
    for (int i = 1; i < w.size() && growing; i++) {
      growing = w.get(i).lag() > w.get(i - 1).lag();
    }
    return growing ? LagStatus.WARNING : LagStatus.OK;
  }
}
