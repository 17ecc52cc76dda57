package dev.outpost.clients;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Finds which offsets of a partition hold records a read_committed consumer is handed, between
 * an offset and the last stable offset. Offsets are not records: a transactional producer writes a
 * commit or abort marker after each transaction on each partition it wrote, and a read_committed
 * consumer is never handed those, nor the records of aborted transactions. So a group that has
 * read everything of a transactional topic and committed the offset after its last record stands
 * one offset (the marker) short of the end, and the end minus the committed offset says "1 behind"
 * for a group with nothing left to read. A read from the committed offset tells the two apart.
 *
 * <p>The read is bounded twice: by a number of offsets per partition (beyond it, offsets are
 * taken to be records, so a lag is never under-counted, only a large one counted roughly) and by
 * a deadline for the whole scan. Every partition is read by one consumer, assigned all at once.
 *
 * @see ConsumerGroupLag#countingRecordsOnly(Map)
 */
public final class RecordScan {

  /** Offsets read per partition at most, by default: enough for any caught-up group's markers. */
  public static final int DEFAULT_LIMIT = 1_000;

  private RecordScan() {}

  /**
   * What a read found on one partition.
   *
   * @param from the offset it read from
   * @param to the offset it read up to, exclusive: the end, unless the limit or the deadline
   *     stopped it first
   * @param records the offsets in {@code [from, to)} that hold records, in order
   */
  public record Found(long from, long to, long[] records) {

    /**
     * @param from the offset it read from
     * @param to the offset it read up to, exclusive
     * @param records the offsets that hold records, in order
     */
    public Found {
      if (to < from) {
        throw new IllegalArgumentException("read from " + from + " to " + to);
      }
      records = records.clone();
    }

    /**
     * @param offset an offset at or after {@link #from}
     * @return offsets in {@code [offset, to)} that hold no record
     */
    public long skippedFrom(final long offset) {
      if (offset < from || offset >= to) {
        return 0;
      }
      return (to - offset) - (records.length - firstAtOrAfter(offset));
    }

    /**
     * @param offset an offset at or after {@link #from}
     * @return the first offset at or after it that holds a record, as far as read: {@link #to}
     *     when there is none before it
     */
    public long nextRecordFrom(final long offset) {
      if (offset < from || offset >= to) {
        return offset;
      }
      final int i = firstAtOrAfter(offset);
      return i < records.length ? records[i] : to;
    }

    private int firstAtOrAfter(final long offset) {
      final int i = Arrays.binarySearch(records, offset);
      return i >= 0 ? i : -i - 1;
    }

    @Override
    public boolean equals(final Object o) {
      return o instanceof Found f && f.from == from && f.to == to && Arrays.equals(f.records, records);
    }

    @Override
    public int hashCode() {
      return Objects.hash(from, to, Arrays.hashCode(records));
    }

    @Override
    public String toString() {
      return "Found[" + from + ".." + to + ", " + records.length + " record(s)]";
    }
  }

  /**
   * A consumer for {@link #scan}: read_committed, in no group, values as bytes.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @return the consumer; the caller closes it
   */
  public static Consumer<byte[], byte[]> reader(final Map<String, Object> kafkaProperties) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    return new KafkaConsumer<>(ConsumerSettings.safe(props, IsolationLevel.READ_COMMITTED), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Reads each partition from an offset towards its end.
   *
   * @param reader a read_committed consumer, such as {@link #reader}'s; its assignment is replaced
   * @param from per partition, the offset to read from
   * @param ends per partition, the end to read to: the last stable offset
   * @param limit offsets to read per partition at most
   * @param timeout how long the whole scan may take; what was read by then is what is found
   * @return per partition that has an end, what was found; a partition whose offset is at or past
   *     its end was not read, and is found empty
   * @throws ClientsException when the consumer failed for another reason than time
   */
  public static Map<TopicPartition, Found> scan(
      final Consumer<byte[], byte[]> reader,
      final Map<TopicPartition, Long> from,
      final Map<TopicPartition, Long> ends,
      final int limit,
      final Duration timeout) {
    if (limit < 1) {
      throw new IllegalArgumentException("the limit must be at least 1, got " + limit);
    }
    final long deadline = System.nanoTime() + timeout.toNanos();
    final Map<TopicPartition, Long> reached = new HashMap<>();
    final Map<TopicPartition, Long> stopAt = new HashMap<>();
    final Map<TopicPartition, List<Long>> records = new HashMap<>();
    final Set<TopicPartition> pending = new HashSet<>();
    from.forEach(
        (tp, offset) -> {
          final Long end = ends.get(tp);
          if (end != null) {
            reached.put(tp, offset);
            records.put(tp, new ArrayList<>());
            if (offset < end) {
              pending.add(tp);
              stopAt.put(tp, Math.min(end, offset + limit));
            }
          }
        });
    if (!pending.isEmpty()) {
      try {
        reader.assign(pending);
        pending.forEach(tp -> reader.seek(tp, from.get(tp)));
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
          final long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          final ConsumerRecords<byte[], byte[]> polled;
          try {
            polled = reader.poll(Duration.ofMillis(Math.max(1, Math.min(100, left))));
          } catch (final TopicAuthorizationException e) {
            // Topics this principal may not read (a monitor granted Describe alone): their offsets
            // count as records, as past the limit, and the other partitions are still read.
            final List<TopicPartition> denied = pending.stream().filter(tp -> e.unauthorizedTopics().contains(tp.topic())).toList();
            if (denied.isEmpty()) {
              throw e;
            }
            reader.pause(denied);
            denied.forEach(pending::remove);
            continue;
          }
          for (final ConsumerRecord<byte[], byte[]> r : polled) {
            final TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (pending.contains(tp) && r.offset() < stopAt.get(tp)) {
              records.get(tp).add(r.offset());
            }
          }
          final List<TopicPartition> done = new ArrayList<>();
          for (final TopicPartition tp : pending) {
            // The position passes markers and aborted records too, though the poll hands none.
            final long position = reader.position(tp, Duration.ofMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
            reached.put(tp, Math.min(position, stopAt.get(tp)));
            if (position >= stopAt.get(tp)) {
              done.add(tp);
            }
          }
          done.forEach(pending::remove);
          reader.pause(done);
        }
      } catch (final org.apache.kafka.common.errors.TimeoutException e) {
        // Out of time: what was read so far is what is found.
      } catch (final KafkaException e) {
        throw new ClientsException("Could not read " + pending + " to count their records: " + e.getMessage(), e);
      } finally {
        reader.assign(List.of());
      }
    }
    final Map<TopicPartition, Found> found = new HashMap<>();
    reached.forEach(
        (tp, to) -> {
          final long start = from.get(tp);
          found.put(tp, new Found(start, Math.max(start, to), records.get(tp).stream().filter(o -> o < to).mapToLong(Long::longValue).sorted().toArray()));
        });
    return found;
  }
}
