package dev.outpost.ingest.replay;

import dev.outpost.clients.ProducerSettings;
import dev.outpost.ingest.IngestException;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import dev.outpost.registry.serde.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends a source's items into a namespace's input topic, each record timed at the item's
 * publication. Items go in transactions, and each transaction also writes the replay's position
 * to {@link Topics#REPLAY_STATE}: a stopped or crashed replay resumes just after its last commit,
 * and no item is sent twice or skipped. The transactional id is the namespace's, so a second
 * replay into the same namespace fences the first.
 */
public final class Replayer implements AutoCloseable {

  /** Told how far the replay has got. */
  @FunctionalInterface
  public interface Progress {
    /**
     * @param read entries read from the source, over every run
     * @param published items sent, over every run
     */
    void update(long read, long published);
  }

  private static final int MAX_BATCH = 20_000;
  private static final long MAX_BATCH_NANOS = 1_000_000_000L;

  private final KafkaProducer<String, byte[]> producer;
  private final Serializer<NewsItem> values;
  private final String namespace;
  private final String topic;
  private final SchemaRegistryClient registry;
  /** The registry id of each archived schema; -1 where the subject refused it. */
  private final Map<org.apache.avro.Schema, Integer> storedSchemaIds = new HashMap<>();
  private final Clock clock;

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param registry the registry the items' schema is registered with
   * @param namespace where to replay
   * @param clock the time no record is stamped later than
   */
  public Replayer(
      final Map<String, Object> kafkaProperties,
      final SchemaRegistryClient registry,
      final String namespace,
      final Clock clock) {
    this.namespace = Topics.requireNamespace(namespace);
    this.registry = registry;
    this.topic = Topics.in(namespace, Topics.NEWS_ITEMS).name();
    this.clock = clock;
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "outpost-replay." + namespace);
    props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "outpost-replay-" + namespace);
    this.values = TopicSerdes.valueSerde(Topics.in(namespace, Topics.NEWS_ITEMS), registry).serializer();
    // Raw bytes, not the catalog's NewsItem values: one transaction writes an archived item's own
    // bytes (see value()) and the replay's JSON position, and no catalog topic has those types.
    this.producer = new KafkaProducer<>(ProducerSettings.safe(props), new StringSerializer(), new ByteArraySerializer());
    try {
      producer.initTransactions();
    } catch (final KafkaException e) {
      producer.close(Duration.ZERO);
      throw new IngestException("Cannot start the replay into namespace '" + namespace + "': " + e.getMessage(), e);
    }
  }

  /**
   * @param item a news item
   * @return its event time: its publication, else when it was taken in
   */
  public static Instant eventTime(final NewsItem item) {
    return item.getPublishedAt() != null ? item.getPublishedAt() : item.getIngestedAt();
  }

  /**
   * Sends what is left of the source.
   *
   * @param source the items, already moved to {@code state}'s position
   * @param state where the replay stands
   * @param since the first event time to send, or null
   * @param until the event time to stop before, or null
   * @param speed how fast
   * @param stop counted down to stop after the current item; what was sent is committed
   * @param progress told how far it has got
   * @return where the replay stands now; {@link ReplayState#done()} when the source was read to
   *     its end
   */
  public ReplayState run(
      final ReplaySource source,
      final ReplayState state,
      final Instant since,
      final Instant until,
      final ReplaySpeed speed,
      final CountDownLatch stop,
      final Progress progress) {
    long published = state.published();
    long skipped = state.skipped();
    long batch = 0;
    long batchStart = System.nanoTime();
    Instant firstEvent = null;
    long firstSent = 0;
    boolean open = false;
    try {
      while (stop.getCount() > 0) {
        final Map<String, Long> before = source.position();
        final NewsItem item = source.next();
        if (item == null) {
          if (!open) {
            producer.beginTransaction();
          }
          final ReplayState finished = new ReplayState(state.source(), state.since(), state.until(), source.position(), published, skipped, true);
          commit(finished);
          progress.update(published + skipped + source.bad(), published);
          return finished;
        }
        final Instant event = eventTime(item);
        if ((since != null && event.isBefore(since)) || (until != null && !event.isBefore(until))) {
          skipped++;
          continue;
        }
        if (firstEvent == null) {
          firstEvent = event;
          firstSent = System.nanoTime();
        }
        final Duration wait = speed.delay(firstEvent, Duration.ofNanos(System.nanoTime() - firstSent), event);
        if (!wait.isZero()) {
          if (open) {
            // Saved before the item held back, so a stop while waiting resumes with it.
            commit(new ReplayState(state.source(), state.since(), state.until(), before, published, skipped, false));
            open = false;
            batch = 0;
            progress.update(published + skipped + source.bad(), published);
          }
          if (stop.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
            return new ReplayState(state.source(), state.since(), state.until(), before, published, skipped, false);
          }
        }
        if (!open) {
          producer.beginTransaction();
          open = true;
          batchStart = System.nanoTime();
        }
        final long timestamp = Math.max(0, Math.min(event.toEpochMilli(), clock.millis()));
        // A failed send fails the transaction: commitTransaction() throws its error.
        final Future<RecordMetadata> unused =
            producer.send(new ProducerRecord<>(topic, null, timestamp, item.getId(), value(source, item)));
        published++;
        batch++;
        if (batch >= MAX_BATCH || System.nanoTime() - batchStart > MAX_BATCH_NANOS) {
          commit(new ReplayState(state.source(), state.since(), state.until(), source.position(), published, skipped, false));
          open = false;
          batch = 0;
          progress.update(published + skipped + source.bad(), published);
        }
      }
      final ReplayState stopped = new ReplayState(state.source(), state.since(), state.until(), source.position(), published, skipped, false);
      if (!open) {
        producer.beginTransaction();
      }
      commit(stopped);
      progress.update(published + skipped + source.bad(), published);
      return stopped;
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException("The replay into namespace '" + namespace + "' was interrupted", e);
    } catch (final ProducerFencedException e) {
      throw new IngestException("Another replay into namespace '" + namespace + "' started, so this one stopped", e);
    } catch (final KafkaException e) {
      if (open) {
        abortQuietly();
      }
      throw new IngestException("The replay into namespace '" + namespace + "' failed; what was committed stays and a new run resumes from there: " + e.getMessage(), e);
    }
  }

  /**
   * The record's value: an archived item's own bytes under its own schema's id when the source
   * kept them (nothing is encoded again, and the item arrives exactly as archived), else the item
   * encoded now.
   */
  private byte[] value(final ReplaySource source, final NewsItem item) {
    final byte[] stored = source.storedBytes();
    if (stored == null) {
      return values.serialize(topic, item);
    }
    final org.apache.avro.Schema schema = source.storedSchema();
    Integer id = storedSchemaIds.get(schema);
    if (id == null) {
      try {
        id = registry.register(topic + "-value", schema);
      } catch (final dev.outpost.registry.IncompatibleSchemaException e) {
        // An archive from a schema the subject no longer accepts: its items are encoded anew.
        id = -1;
      }
      storedSchemaIds.put(schema, id);
    }
    return id < 0 ? values.serialize(topic, item) : WireFormat.write(id, stored);
  }

  private void commit(final ReplayState state) {
    // Like the items' sends: if it fails, commitTransaction() throws its error.
    final Future<RecordMetadata> unused =
        producer.send(
            new ProducerRecord<>(
                Topics.REPLAY_STATE.name(), namespace, state.toJson().getBytes(StandardCharsets.UTF_8)));
    producer.commitTransaction();
  }

  private void abortQuietly() {
    try {
      producer.abortTransaction();
    } catch (final KafkaException e) {
      // The producer is closed next; the broker aborts the transaction when it times out.
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
    values.close();
  }
}
