package dev.outpost.subscribers;

import dev.outpost.model.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;

/**
 * Finds, in each partition of the alert topics, the first alert classified at or after a time.
 *
 * <p>An alert record's timestamp is its news item's event time, which in a replay of old news is
 * years back, so Kafka's own lookup by timestamp would start a subscriber at alerts written long
 * after the time asked for, or not at all. The time an alert was written is its {@code
 * classifiedAt}, which grows with the offset within a partition (one task writes it, in order), so
 * a binary search over offsets finds it: about twenty reads of one record for a million alerts.
 */
final class ClassifiedTimeSeeker {

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

  private ClassifiedTimeSeeker() {}

  /**
   * @param consumer a consumer of alerts with no subscription, which this leaves assigned to
   *     nothing
   * @param partitions the partitions to search
   * @param time the time to start at
   * @return for each partition, the offset to start reading at: the first alert classified at or
   *     after the time, else the end of the partition
   * @throws IllegalStateException when a partition cannot be read within the timeout
   */
  static Map<TopicPartition, Long> offsets(
      final KafkaConsumer<String, Alert> consumer, final Collection<TopicPartition> partitions, final Instant time) {
    final Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, PROBE_TIMEOUT);
    final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, PROBE_TIMEOUT);
    final Map<TopicPartition, Long> found = new HashMap<>();
    try {
      for (final TopicPartition p : partitions) {
        consumer.assign(List.of(p));
        long lo = starts.get(p);
        long hi = ends.get(p);
        // The answer lies in [lo, hi]: every data record before lo was classified before the
        // time, and hi is a data record at or after it, or the end.
        while (lo < hi) {
          final long mid = lo + (hi - lo) / 2;
          final ConsumerRecord<String, Alert> r = firstFrom(consumer, p, mid, hi);
          if (r == null) {
            hi = mid; // only transaction markers or aborted records in [mid, hi)
          } else if (r.value() == null || r.value().getClassifiedAt().isBefore(time)) {
            lo = r.offset() + 1;
          } else {
            hi = r.offset();
          }
        }
        found.put(p, lo);
      }
    } finally {
      consumer.assign(List.of());
    }
    return found;
  }

  /** The first readable record of the partition at or after {@code from} and before {@code end}. */
  private static ConsumerRecord<String, Alert> firstFrom(
      final KafkaConsumer<String, Alert> consumer, final TopicPartition p, final long from, final long end) {
    consumer.seek(p, from);
    final long deadline = System.nanoTime() + PROBE_TIMEOUT.toNanos();
    while (consumer.position(p) < end) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Cannot read " + p + " at offset " + from + " within " + PROBE_TIMEOUT.toSeconds() + "s");
      }
      try {
        for (final ConsumerRecord<String, Alert> r : consumer.poll(Duration.ofMillis(200)).records(p)) {
          if (r.offset() >= from && r.offset() < end) {
            return r;
          }
        }
      } catch (final RecordDeserializationException e) {
        // An alert that cannot be read tells nothing of the time: look past it.
        consumer.seek(p, e.offset() + 1);
      }
    }
    return null;
  }
}
