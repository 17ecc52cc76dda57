package dev.outpost.ops.lag;

/**
 * How a consumer is doing on a partition, or on all of a group's partitions (the worst of them),
 * judged over a sliding window of samples. In order of severity.
 */
public enum LagStatus {
  /** Caught up, or committing and not falling behind. */
  OK,
  /** Committing, but the lag grew across the whole window: falling behind. */
  WARNING,
  /** The group has members, but the committed offset did not move across the window while there was lag. */
  STALL,
  /** The group has no members and there is lag: nobody is consuming. */
  STOP,
  /** The committed offset went backwards within the window: a reset or a replay. */
  REWIND,
  /** The offsets could not be read, or make no sense (committed beyond the log end). */
  ERROR;

  /**
   * @param other another status
   * @return the more severe of the two
   */
  public LagStatus worst(final LagStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
