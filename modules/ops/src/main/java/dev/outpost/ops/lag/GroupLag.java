package dev.outpost.ops.lag;

import java.util.List;

/**
 * One consumer group, as last sampled.
 *
 * @param group the group id
 * @param state the group's state as the coordinator reports it (Stable, Empty, ...)
 * @param members how many members it has
 * @param status the worst status of its partitions
 * @param reason the rule that set the status, in words, naming the partition it was judged on
 * @param lagRecords records behind, summed over its partitions
 * @param lagSeconds the largest lag in seconds of its partitions
 * @param drainRate records per second the lag shrank by over the window of samples; negative
 *     while it grows, 0 with fewer than two samples
 * @param catchUpSeconds at that rate, seconds until the lag is 0: 0 when caught up, null when the
 *     lag is not shrinking
 * @param trend the group's lag in records at each sample of the window, oldest first
 * @param partitions each partition it has committed offsets for
 */
public record GroupLag(
    String group,
    String state,
    int members,
    LagStatus status,
    String reason,
    long lagRecords,
    double lagSeconds,
    double drainRate,
    Double catchUpSeconds,
    List<Long> trend,
    List<PartitionLag> partitions) {

  /** Copies the lists. */
  public GroupLag {
    trend = List.copyOf(trend);
    partitions = List.copyOf(partitions);
  }
}
