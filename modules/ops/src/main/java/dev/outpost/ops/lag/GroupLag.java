package dev.outpost.ops.lag;

import java.util.List;

/**
 * One consumer group, as last sampled.
 *
 * @param group the group id
 * @param state the group's state as the coordinator reports it (Stable, Empty, ...)
 * @param members how many members it has
 * @param status the worst status of its partitions
 * @param lagRecords records behind, summed over its partitions
 * @param lagSeconds the largest lag in seconds of its partitions
 * @param partitions each partition it has committed offsets for
 */
public record GroupLag(
    String group,
    String state,
    int members,
    LagStatus status,
    long lagRecords,
    double lagSeconds,
    List<PartitionLag> partitions) {}
