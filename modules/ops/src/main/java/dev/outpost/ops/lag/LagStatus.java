package dev.outpost.ops.lag;

/**
 * How a consumer is doing on a partition, or on all of a group's partitions (the worst of them),
 * judged over a sliding window of samples. In order of severity.
 */
public enum LagStatus {
  /** Caught up, or committing and not falling behind. */
  OK(0),
  /** Committing, but the lag grew across the whole window: falling behind. */
  WARNING(1),
  /** The group has members, but the committed offset did not move across the window while there was lag. */
  STALL(2),
  /** The group has no members and there is lag: nobody is consuming. */
  STOP(3),
  /** The committed offset went backwards within the window: a reset or a replay. */
  REWIND(4),
  /** The offsets could not be read, or make no sense (committed beyond the log end). */
  ERROR(5);

  private final int severity;

  LagStatus(final int severity) {
    this.severity = severity;
  }

  /**
   * @return how severe the status is, from 0 for {@link #OK}: the value of the {@code
   *     outpost.consumer.lag.status} gauge, which dashboards and alert rules read, so a status
   *     keeps its number even if the constants are reordered
   */
  public int severity() {
    return severity;
  }

  /**
   * @param other another status
   * @return the more severe of the two
   */
  public LagStatus worst(final LagStatus other) {
    return other.severity > severity ? other : this;
  }
}
