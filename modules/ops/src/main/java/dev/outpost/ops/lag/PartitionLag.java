package dev.outpost.ops.lag;

/**
 * One partition of one group, as last sampled.
 *
 * @param topic the topic
 * @param partition the partition
 * @param committed the committed offset, or -1
 * @param end the log-end offset (the last stable offset, for transactional topics)
 * @param lagRecords records behind
 * @param lagSeconds how old the record at the committed position is, in seconds: interpolated
 *     from the log-end offsets seen over time, else read from the record's timestamp
 * @param status judged over the window of samples
 */
public record PartitionLag(
    String topic, int partition, long committed, long end, long lagRecords, double lagSeconds, LagStatus status) {}
