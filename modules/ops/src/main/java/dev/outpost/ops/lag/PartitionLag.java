package dev.outpost.ops.lag;

/**
 * One partition of one group, as last sampled.
 *
 * @param topic the topic
 * @param partition the partition
 * @param committed the committed offset, or -1
 * @param end the log-end offset (the last stable offset, for transactional topics)
 * @param lagRecords records behind: transaction markers between the committed offset and the end
 *     are not records, and do not count
 * @param lagSeconds how long ago the first record the group has yet to read arrived in the log, in
 *     seconds, as the monitor saw the log end pass it; 0 when caught up. Never from the record's
 *     own timestamp, which on the news and alert topics is when the news happened
 * @param status judged over the window of samples
 * @param reason the rule that set the status, in words
 */
public record PartitionLag(
    String topic, int partition, long committed, long end, long lagRecords, double lagSeconds, LagStatus status, String reason) {}
