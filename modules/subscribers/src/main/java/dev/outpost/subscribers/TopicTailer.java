package dev.outpost.subscribers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.clients.ConsumerSettings;
import dev.outpost.model.Subscription;
import dev.outpost.model.TopicSpec;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a topic of the catalog and turns each record into JSON: Avro values are decoded through
 * the schema registry, raw byte values (the dead-letter topic) are shown with their headers and
 * Base64 bytes. Subscriptions are shown without their secrets or their URLs' credentials and
 * query ({@link Subscriptions#toJson}).
 *
 * <p>It reads without a consumer group: it assigns every partition itself, commits nothing and so
 * leaves no trace on the cluster. A record that cannot be decoded is reported and skipped, not
 * fatal.
 */
public final class TopicTailer implements AutoCloseable {

  /** Where to start reading. */
  public enum Start {
    /** The oldest retained record of each partition. */
    BEGINNING,
    /** Only records written after the tail started. */
    END
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Deserializer<? extends SpecificRecord> values;
  private final AtomicBoolean stopped = new AtomicBoolean();

  /**
   * @param topic the topic to read
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param registry the registry to fetch writer schemas from
   * @param start where to start
   * @param startOffsets explicit offsets per partition, overriding {@code start} where given
   */
  public TopicTailer(
      final TopicSpec<?, ?> topic,
      final Map<String, Object> kafkaProperties,
      final SchemaRegistryClient registry,
      final Start start,
      final Map<Integer, Long> startOffsets) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "outpost-tail");
    // Bytes, decoded record by record in toJson(), so that one record that cannot be decoded is
    // reported and skipped rather than failing the poll. Read uncommitted, as the tail always read:
    // it shows what is in the topic, open transactions included.
    this.consumer =
        new KafkaConsumer<>(
            ConsumerSettings.safe(props, IsolationLevel.READ_UNCOMMITTED), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.values = deserializerFor(topic, registry);
    final List<TopicPartition> partitions =
        consumer.partitionsFor(topic.name()).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    if (start == Start.BEGINNING) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
    }
    startOffsets.forEach(
        (partition, offset) -> consumer.seek(new TopicPartition(topic.name(), partition), offset));
    // Seeks are lazy; resolve them now, so records written after this constructor returns are
    // read even when they arrive before the first poll.
    partitions.forEach(consumer::position);
  }

  /** The catalog's deserializer of the topic's values when they are Avro records, else null. */
  @SuppressWarnings("unchecked")
  private static Deserializer<? extends SpecificRecord> deserializerFor(
      final TopicSpec<?, ?> topic, final SchemaRegistryClient registry) {
    if (!SpecificRecord.class.isAssignableFrom(topic.valueType())) {
      return null;
    }
    return TopicSerdes.valueSerde((TopicSpec<?, ? extends SpecificRecord>) topic, registry).deserializer();
  }

  /**
   * Polls until {@link #stop()} is called, {@code maxRecords} records were emitted, or nothing
   * arrived for {@code idleTimeout}.
   *
   * @param maxRecords stop after this many records; 0 for no limit
   * @param idleTimeout stop when nothing arrived for this long; null to wait forever
   * @param onRecord gets each record as JSON
   * @param onError gets a sentence for each record that could not be decoded
   * @return the number of records emitted
   */
  public long run(
      final long maxRecords,
      final Duration idleTimeout,
      final Consumer<JsonNode> onRecord,
      final Consumer<String> onError) {
    long emitted = 0;
    Instant lastRecord = Instant.now();
    while (!stopped.get()) {
      final org.apache.kafka.clients.consumer.ConsumerRecords<byte[], byte[]> records;
      try {
        records = consumer.poll(Duration.ofMillis(200));
      } catch (final org.apache.kafka.common.errors.WakeupException e) {
        return emitted; // stop() was called
      }
      if (!records.isEmpty()) {
        lastRecord = Instant.now();
      }
      for (final ConsumerRecord<byte[], byte[]> record : records) {
        try {
          onRecord.accept(toJson(record));
        } catch (final RuntimeException e) {
          onError.accept(
              "Cannot decode "
                  + record.topic()
                  + " partition "
                  + record.partition()
                  + " offset "
                  + record.offset()
                  + ": "
                  + e.getMessage());
        }
        emitted++;
        if (maxRecords > 0 && emitted >= maxRecords) {
          return emitted;
        }
      }
      if (idleTimeout != null && Duration.between(lastRecord, Instant.now()).compareTo(idleTimeout) >= 0) {
        return emitted;
      }
    }
    return emitted;
  }

  /** Makes {@link #run} return after its current poll; safe from any thread. */
  public void stop() {
    stopped.set(true);
    consumer.wakeup();
  }

  private JsonNode toJson(final ConsumerRecord<byte[], byte[]> record) {
    if (values != null) {
      final SpecificRecord value = values.deserialize(record.topic(), record.headers(), record.value());
      if (value instanceof Subscription subscription) {
        // Shown as 'subscriptions list --json' shows it: no secret, no URL credentials or query.
        return Subscriptions.toJson(subscription);
      }
      return value == null ? NODES.nullNode() : AvroJson.toJson(value);
    }
    final ObjectNode node = NODES.objectNode();
    node.put("partition", record.partition());
    node.put("offset", record.offset());
    node.put("key", record.key() == null ? null : Base64.getEncoder().encodeToString(record.key()));
    final ObjectNode headers = node.putObject("headers");
    for (final Header header : record.headers()) {
      headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
    }
    node.put("value", record.value() == null ? null : Base64.getEncoder().encodeToString(record.value()));
    return node;
  }

  @Override
  public void close() {
    consumer.close();
    if (values != null) {
      values.close();
    }
  }
}
