package dev.outpost.clients;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from where a {@link ReadRequest} says to the end offsets taken when the read
 * starts, and stops there: the one loop for "read a topic to its end" (compacted state topics,
 * subscriptions, an archive run, a replay from a topic, parked alerts). Every read has a deadline,
 * so a partition that never reaches its end offset fails the read with {@link
 * TopicReadTimeoutException} instead of spinning for ever.
 *
 * <p>The isolation level is chosen by the caller, never defaulted: read_committed stops at the last
 * stable offset and skips aborted records; read_uncommitted reads to the high watermark, open
 * transactions included. The reader owns one consumer, with auto-commit off; a {@code group.id}
 * in the properties is kept, for {@link ReadRequest.Start#COMMITTED} and {@link #commitSync}.
 *
 * <p>Not thread-safe, like the consumer under it.
 *
 * @param <K> the key type
 * @param <V> the value type
 * @see ReadCursor
 * @see RecordHandler
 */
public final class TopicReader<K, V> implements AutoCloseable {

  private final Consumer<K, V> consumer;
  private final IsolationLevel isolationLevel;
  private final LongSupplier nanoTime;

  /**
   * A reader over a consumer made elsewhere, which must have been configured with the given
   * isolation level; for tests with a {@code MockConsumer}, which has none.
   */
  TopicReader(final Consumer<K, V> consumer, final IsolationLevel isolationLevel, final LongSupplier nanoTime) {
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.isolationLevel = Objects.requireNonNull(isolationLevel, "isolationLevel");
    this.nanoTime = nanoTime;
  }

  /**
   * A reader over a consumer the caller made and keeps configuring, for a caller whose consumer
   * outlives one read (a store that follows its topic between reads). The consumer must have been
   * made with the given isolation level and with auto-commit off; the reader closes it.
   *
   * @param <K> the key type
   * @param <V> the value type
   * @param consumer the consumer
   * @param isolationLevel the isolation level the consumer was made with
   * @return the reader
   */
  public static <K, V> TopicReader<K, V> over(final Consumer<K, V> consumer, final IsolationLevel isolationLevel) {
    return new TopicReader<>(consumer, isolationLevel, System::nanoTime);
  }

  /**
   * @param <K> the key type
   * @param <V> the value type
   * @param kafkaProperties client properties with {@code bootstrap.servers}; {@code
   *     isolation.level} and {@code enable.auto.commit} are set here, by {@link ConsumerSettings}
   * @param isolationLevel read_committed or read_uncommitted; no default, see the class comment
   * @param keys the key deserializer
   * @param values the value deserializer
   * @return a reader with a consumer of its own, to be closed
   * @throws IllegalArgumentException when the properties ask for {@code enable.auto.commit=true}
   */
  public static <K, V> TopicReader<K, V> create(
      final Map<String, Object> kafkaProperties,
      final IsolationLevel isolationLevel,
      final Deserializer<K> keys,
      final Deserializer<V> values) {
    final Map<String, Object> props = ConsumerSettings.safe(kafkaProperties, isolationLevel);
    return new TopicReader<>(new KafkaConsumer<>(props, keys, values), isolationLevel, System::nanoTime);
  }

  /**
   * Reads a state topic (compacted, of string keys and values) from its beginning to its current
   * end, read committed: the state topics are written by transactions and idempotent producers,
   * and an open transaction's records are not state yet. The whole read has {@link
   * TopicAdmin#REACH_TIMEOUT_MS}: these topics hold one small record per key, so a read that takes
   * longer is stuck, not slow.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}; a {@code group.id} is
   *     left out, as the read commits nothing
   * @param topic a topic of string keys and values
   * @return the latest value of each key that has one; a tombstone removes its key
   * @throws TopicReadTimeoutException naming the partitions still behind when the end is not
   *     reached in time
   */
  public static Map<String, String> readState(final Map<String, Object> kafkaProperties, final String topic) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (TopicReader<String, String> reader =
        create(props, IsolationLevel.READ_COMMITTED, new StringDeserializer(), new StringDeserializer())) {
      return reader.readLatest(ReadRequest.fromBeginning(topic, Duration.ofMillis(TopicAdmin.REACH_TIMEOUT_MS)));
    }
  }

  /** @return the isolation level this reader reads at */
  public IsolationLevel isolationLevel() {
    return isolationLevel;
  }

  /**
   * Reads to the end at once, handing each record over as it comes. The deadline counts from now:
   * the whole read, the handler's time included, must reach the end offsets within it.
   *
   * @param request what to read
   * @param handler takes each record
   * @return how many records were handed over
   * @throws TopicReadTimeoutException when the deadline passed first, naming the partitions still
   *     behind and by how much
   * @throws ClientsException when the topic's partitions or offsets could not be had in time
   */
  public long read(final ReadRequest request, final RecordHandler<K, V> handler) {
    final long[] count = {0};
    final ReadCursor<K, V> cursor = new ReadCursor<>(consumer, request, nanoTime, false);
    final RecordHandler<K, V> counting =
        new RecordHandler<>() {
          @Override
          public void accept(final org.apache.kafka.clients.consumer.ConsumerRecord<K, V> record) {
            handler.accept(record);
            count[0]++;
          }

          @Override
          public void unreadable(final org.apache.kafka.common.errors.RecordDeserializationException e) {
            handler.unreadable(e);
          }
        };
    while (cursor.poll(counting)) {
      // Each poll hands its records over; the cursor says when the end is reached.
    }
    return count[0];
  }

  /**
   * Reads a compacted topic to its end at once and keeps the latest value of each key: a record
   * with a null value (a tombstone) removes its key. The deadline counts as in {@link #read}.
   *
   * @param request what to read
   * @return each key's latest value, in the order the keys were first seen
   * @throws TopicReadTimeoutException when the deadline passed first
   */
  public Map<K, V> readLatest(final ReadRequest request) {
    final Map<K, V> latest = new LinkedHashMap<>();
    read(
        request,
        r -> {
          if (r.value() == null) {
            latest.remove(r.key());
          } else {
            latest.put(r.key(), r.value());
          }
        });
    return latest;
  }

  /**
   * Reads the tail of a topic: the last offsets of each partition, up to its end offset at this
   * reader's isolation level, for a view of "what came last" (the dashboard's recent alerts). The
   * offsets counted back include transaction markers and aborted records, which are never handed
   * over, so a transactional topic yields fewer records than offsets: ask for more than you show.
   *
   * @param topic the topic; one that does not exist has nothing to read
   * @param offsetsPerPartition how many offsets before each partition's end to start at; never
   *     before the partition's log start
   * @param deadline how long the whole read may take, as in {@link #read}
   * @param handler takes each record
   * @return how many records were handed over
   * @throws TopicReadTimeoutException when the deadline passed first
   * @throws ClientsException when the topic's partitions or offsets could not be had in time
   */
  public long readLast(
      final String topic, final int offsetsPerPartition, final Duration deadline, final RecordHandler<K, V> handler) {
    if (offsetsPerPartition < 1) {
      throw new IllegalArgumentException("offsetsPerPartition must be at least 1, was " + offsetsPerPartition);
    }
    final Map<Integer, Long> from = new HashMap<>();
    try {
      final java.util.List<TopicPartition> partitions = new java.util.ArrayList<>();
      consumer.partitionsFor(topic, deadline).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      final Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, deadline);
      final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, deadline);
      for (final TopicPartition tp : partitions) {
        from.put(tp.partition(), Math.max(starts.get(tp), ends.get(tp) - offsetsPerPartition));
      }
    } catch (final org.apache.kafka.common.errors.TimeoutException e) {
      throw new ClientsException("Could not find where the partitions of " + topic + " start and end within " + DurationText.format(deadline), e);
    }
    return read(ReadRequest.fromBeginning(topic, deadline).startingAt(from), handler);
  }

  /**
   * Starts a read the caller takes a poll at a time. Its deadline counts only the time its polls
   * wait without progress, not the time the caller spends between polls; see {@link ReadCursor}.
   *
   * @param request what to read
   * @return the cursor, positioned at the start
   * @throws ClientsException when the topic's partitions or offsets could not be had in time
   */
  public ReadCursor<K, V> open(final ReadRequest request) {
    return new ReadCursor<>(consumer, request, nanoTime, true);
  }

  /**
   * Commits offsets for the consumer group in the reader's properties, as a reader that records
   * its progress there does between polls.
   *
   * @param offsets partition to the next offset to read
   */
  public void commitSync(final Map<TopicPartition, OffsetAndMetadata> offsets) {
    consumer.commitSync(offsets);
  }

  /**
   * @return the consumer, standing on the end offsets after a read, for a caller that goes on
   *     following the topic; it belongs to this reader, which closes it
   */
  public Consumer<K, V> consumer() {
    return consumer;
  }

  /** Wakes a poll blocked in another thread, which then throws {@code WakeupException}. */
  public void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    consumer.close();
  }

  /**
   * @param deadline how long to wait for the consumer to leave cleanly
   */
  public void close(final Duration deadline) {
    consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(deadline));
  }
}
