package dev.outpost.ops.lag;

/**
 * One look at one partition of one group.
 *
 * @param timeMs when, in epoch milliseconds
 * @param committed the group's committed offset, or -1 when it has none
 * @param end the log-end offset
 * @param groupActive whether the group had members
 * @param error what went wrong reading the offsets, or null
 * @param skipped offsets between the committed offset and the end found to hold no record (the
 *     transaction markers a read_committed reader is never handed)
 */
public record Sample(long timeMs, long committed, long end, boolean groupActive, String error, long skipped) {

  /**
   * A sample in which every offset is a record.
   *
   * @param timeMs when, in epoch milliseconds
   * @param committed the group's committed offset, or -1 when it has none
   * @param end the log-end offset
   * @param groupActive whether the group had members
   * @param error what went wrong reading the offsets, or null
   */
  public Sample(final long timeMs, final long committed, final long end, final boolean groupActive, final String error) {
    this(timeMs, committed, end, groupActive, error, 0);
  }

  /** @return records between the committed offset and the log end; 0 without a commit */
  public long lag() {
    return committed < 0 ? 0 : Math.max(0, end - committed - skipped);
  }
}
