package dev.outpost.subscribers.dispatch;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which records are finished, per partition, so that only a contiguous finished prefix is ever
 * committed: a record whose deliveries are still under way holds back the commit of everything
 * after it, and a crash replays from there. Thread-safe.
 */
final class OffsetTracker {

  /** Per partition: offset of each record read and not yet committed, with its open deliveries. */
  private final Map<TopicPartition, TreeMap<Long, Integer>> open = new HashMap<>();

  /**
   * @param partition where the record is
   * @param offset its offset
   * @param deliveries how many deliveries it starts; 0 finishes it at once
   */
  synchronized void read(final TopicPartition partition, final long offset, final int deliveries) {
    open.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, deliveries);
  }

  /**
   * @param partition where the record is
   * @param offset its offset
   */
  synchronized void finished(final TopicPartition partition, final long offset) {
    final TreeMap<Long, Integer> records = open.get(partition);
    if (records != null) {
      records.computeIfPresent(offset, (o, n) -> n - 1);
    }
  }

  /**
   * Removes the finished prefix of each partition.
   *
   * @return the offsets to commit: one past each partition's finished prefix
   */
  synchronized Map<TopicPartition, OffsetAndMetadata> committable() {
    final Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    for (final Map.Entry<TopicPartition, TreeMap<Long, Integer>> e : open.entrySet()) {
      final TreeMap<Long, Integer> records = e.getValue();
      long next = -1;
      while (!records.isEmpty() && records.firstEntry().getValue() <= 0) {
        next = records.pollFirstEntry().getKey() + 1;
      }
      if (next >= 0) {
        commit.put(e.getKey(), new OffsetAndMetadata(next));
      }
    }
    return commit;
  }

  /**
   * Forgets partitions this member no longer owns.
   *
   * @param partitions the partitions revoked
   */
  synchronized void forget(final Iterable<TopicPartition> partitions) {
    partitions.forEach(open::remove);
  }
}
