package dev.outpost.registry.server;

import dev.outpost.clients.ClientsException;
import dev.outpost.clients.ConsumerSettings;
import dev.outpost.clients.ProducerSettings;
import dev.outpost.clients.ReadRequest;
import dev.outpost.clients.RecordHandler;
import dev.outpost.clients.TopicReadTimeoutException;
import dev.outpost.clients.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaStore} on a compacted, single-partition Kafka topic, laid out like Confluent's
 * {@code _schemas} topic (see {@link StoreRecordCodec} for the key and value JSON), so ids and
 * versions survive a restart of the registry.
 *
 * <p>On first use it creates the topic if it is missing (1 partition, {@code
 * cleanup.policy=compact}, the replication factor it was given) with an {@link Admin} client.
 * {@link #replay()} reads the topic from its beginning up to the end offset taken when the call
 * began, with the clients' {@link TopicReader}, as every read of the store does. {@link #append(StoreRecord)} writes with {@code acks=all}, then waits until the store's
 * own consumer has read the record back, as Confluent's {@code KafkaStore} does, so a read after
 * the write sees it.
 *
 * <p><b>One writer at a time.</b> Several registries may share the topic; each must see every id
 * handed out before it hands out the next. Every store on a topic writes through a transactional
 * producer with the same {@code transactional.id}, {@code <topic>-writer} (one set in the client
 * overrides wins; every registry on the topic must then use the same). Its {@code
 * initTransactions()}, done before the store's first write, fences the producer of any other
 * registry and aborts that registry's open write; the store then reads the topic to its end
 * ({@code read_committed}) before it writes. While it holds the producer epoch, no other registry
 * can commit, so what it read is the whole log. When another registry takes over, this store's
 * next commit fails as fenced: it writes nothing, throws {@link SchemaStoreConflictException}, and
 * its next append claims the epoch again and rereads the topic. Registries writing at once take
 * turns this way; none hands out an id it has not seen. The reader uses {@code read_committed}, so
 * a write aborted by a fence is never read (a reader with {@code read_uncommitted}, such as
 * Confluent's registry, would see it). A writer outside the fence (Confluent's registry, which
 * elects a leader instead) is not kept out. With Kafka ACLs, the registry's principal needs Write
 * and Describe on that transactional id.
 *
 * <pre>{@code
 * try (KafkaSchemaStore store =
 *         new KafkaSchemaStore("localhost:9092", "_schemas", (short) 1, Map.of());
 *     RegistryServer server = RegistryServer.builder().store(store).build()) {
 *   server.start();
 * }
 * }</pre>
 *
 * <p>Thread-safe: every operation holds the store's lock.
 */
public final class KafkaSchemaStore implements SchemaStore {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaStore.class);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final String topic;
  private final TopicPartition partition;
  private final Duration timeout;
  private final Runnable topicCreator;
  private final Supplier<Producer<byte[], byte[]>> producers;
  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final String description;
  private final StoreRecordCodec codec = new StoreRecordCodec();

  // Records read but not yet handed to the registry by catchUp(): another registry wrote them.
  private final List<StoreRecord> unseen = new ArrayList<>();
  // Non-null while this store holds the writer epoch (as far as it knows).
  private Producer<byte[], byte[]> producer;
  // The store's one consumer, assigned the topic's partition, through the clients' reader.
  private TopicReader<byte[], byte[]> reader;
  private boolean closed;

  /**
   * A store with a 30-second timeout for each Kafka operation.
   *
   * @param bootstrapServers the cluster, as in {@code bootstrap.servers}
   * @param topic the topic to keep the log in (Outpost's topic catalog calls it {@code _schemas})
   * @param replicationFactor the replication factor if the topic must be created
   * @param clientOverrides extra properties for the admin, producer and consumer clients, such as
   *     {@code security.protocol} and SASL or SSL settings; they win over the store's defaults,
   *     except for the (de)serializers, the reader's isolation level and its lack of a group. One
   *     that asks for less than the clients' {@link ProducerSettings} or {@link ConsumerSettings}
   *     ({@code acks=1}, {@code enable.auto.commit=true}...) is refused when the client is made
   */
  public KafkaSchemaStore(
      final String bootstrapServers,
      final String topic,
      final short replicationFactor,
      final Map<String, Object> clientOverrides) {
    this(bootstrapServers, topic, replicationFactor, clientOverrides, DEFAULT_TIMEOUT);
  }

  /**
   * @param bootstrapServers the cluster, as in {@code bootstrap.servers}
   * @param topic the topic to keep the log in
   * @param replicationFactor the replication factor if the topic must be created
   * @param clientOverrides extra client properties (see the four-argument constructor)
   * @param timeout how long one Kafka operation (create the topic, write, read back) may take
   */
  public KafkaSchemaStore(
      final String bootstrapServers,
      final String topic,
      final short replicationFactor,
      final Map<String, Object> clientOverrides,
      final Duration timeout) {
    this(
        topic,
        timeout,
        () ->
            ensureTopic(
                adminConfig(bootstrapServers, clientOverrides), topic, replicationFactor, timeout),
        () -> new KafkaProducer<>(producerConfig(bootstrapServers, topic, clientOverrides)),
        () -> new KafkaConsumer<>(consumerConfig(bootstrapServers, topic, clientOverrides)),
        describe(bootstrapServers, topic, clientOverrides));
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replicationFactor must be >= 1, was " + replicationFactor);
    }
  }

  /**
   * For tests: the store's logic over given clients.
   *
   * @param topic the topic
   * @param timeout the per-operation timeout
   * @param topicCreator makes sure the topic exists; run once, before the clients are made
   * @param producers makes the producer
   * @param consumers makes the consumer
   * @param description what {@link #toString()} says
   */
  KafkaSchemaStore(
      final String topic,
      final Duration timeout,
      final Runnable topicCreator,
      final Supplier<Producer<byte[], byte[]>> producers,
      final Supplier<Consumer<byte[], byte[]>> consumers,
      final String description) {
    this.topic = requireText(topic, "topic");
    this.partition = new TopicPartition(topic, 0);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    this.topicCreator = Objects.requireNonNull(topicCreator, "topicCreator");
    this.producers = Objects.requireNonNull(producers, "producers");
    this.consumers = Objects.requireNonNull(consumers, "consumers");
    this.description = description;
  }

  @Override
  public synchronized List<StoreRecord> replay() {
    ensureStarted();
    try {
      final List<StoreRecord> records = new ArrayList<>();
      read(ReadRequest.fromBeginning(topic, timeout).partitions(0), record -> decode(record).ifPresent(records::add));
      unseen.clear();
      LOG.debug("Replayed {} records from {} up to offset {}", records.size(), topic, position());
      return records;
    } catch (final KafkaException e) {
      throw new SchemaStoreException("Failed to read the schema log from topic " + topic, e);
    }
  }

  @Override
  public synchronized List<StoreRecord> catchUp() {
    ensureStarted();
    try {
      readOnToTheEnd(record -> decode(record).ifPresent(unseen::add));
    } catch (final KafkaException e) {
      throw new SchemaStoreException("Failed to read the schema log from topic " + topic, e);
    }
    final List<StoreRecord> caught = List.copyOf(unseen);
    unseen.clear();
    if (!caught.isEmpty()) {
      LOG.debug("Caught up with {} records another registry wrote to {}", caught.size(), topic);
    }
    return caught;
  }

  @Override
  public synchronized void append(final StoreRecord record) {
    appendAll(List.of(Objects.requireNonNull(record, "record")));
  }

  /** Writes the records in one transaction: all of them land, or none. */
  @Override
  public synchronized void appendAll(final List<StoreRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    final List<byte[][]> encoded = new ArrayList<>(records.size());
    for (final StoreRecord record : records) {
      Objects.requireNonNull(record, "record");
      encoded.add(new byte[][] {codec.encodeKey(record), codec.encodeValue(record)});
    }
    ensureStarted();
    if (producer == null) {
      claimWrites();
    }
    if (!unseen.isEmpty()) {
      throw new SchemaStoreConflictException(
          "Topic "
              + topic
              + " holds "
              + unseen.size()
              + " records another registry wrote that this one has not applied yet",
          null);
    }
    final Set<Long> written = writeInTransaction(encoded);
    final long last = Collections.max(written);
    try {
      // Up to the last write, which read_committed shows only once its commit marker lands.
      read(
          fromPosition().until(Map.of(partition.partition(), last + 1)),
          read -> {
            if (!written.contains(read.offset())) {
              // Only a writer outside the fence (a registry without it) can get here.
              LOG.warn(
                  "Topic {} has a record at offset {} that another registry wrote without the"
                      + " writer fence",
                  topic,
                  read.offset());
              decode(read).ifPresent(unseen::add);
            }
          });
    } catch (final KafkaException e) {
      throw new SchemaStoreException("Failed to read back offset " + last + " of " + topic, e);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (producer != null) {
      closeQuietly(() -> producer.close(timeout), "producer");
      producer = null;
    }
    if (reader != null) {
      closeQuietly(() -> reader.close(), "consumer");
    }
  }

  @Override
  public String toString() {
    return description;
  }

  private void ensureStarted() {
    if (closed) {
      throw new IllegalStateException(description + " is closed");
    }
    if (reader != null) {
      return;
    }
    try {
      topicCreator.run();
      final Consumer<byte[], byte[]> consumer = consumers.get();
      consumer.assign(List.of(partition));
      consumer.seekToEnd(List.of(partition));
      reader = TopicReader.over(consumer, IsolationLevel.READ_COMMITTED);
    } catch (final KafkaException e) {
      throw new SchemaStoreException("Failed to start the schema store on topic " + topic, e);
    }
  }

  /**
   * Takes the right to write: a new transactional producer whose {@code initTransactions()} fences
   * every other registry's, then a read to the end of the topic, so that every record committed
   * before is known (in {@link #unseen} if the registry has not applied it yet).
   */
  private void claimWrites() {
    final Producer<byte[], byte[]> claimed;
    try {
      claimed = producers.get();
    } catch (final KafkaException e) {
      throw new SchemaStoreException("Failed to create the writer of topic " + topic, e);
    }
    try {
      claimed.initTransactions();
    } catch (final KafkaException e) {
      closeQuietly(() -> claimed.close(Duration.ZERO), "producer");
      throw new SchemaStoreException("Failed to take over the writes to topic " + topic, e);
    }
    producer = claimed;
    try {
      readOnToTheEnd(read -> decode(read).ifPresent(unseen::add));
    } catch (final KafkaException e) {
      dropProducer();
      throw new SchemaStoreException("Failed to read topic " + topic + " to its end", e);
    } catch (final SchemaStoreException e) {
      dropProducer();
      throw e;
    }
    LOG.debug("This registry writes topic {} now; {} records were new to it", topic, unseen.size());
  }

  /**
   * Writes records, each a key and a value, in one transaction of their own.
   *
   * @return the records' offsets
   */
  private Set<Long> writeInTransaction(final List<byte[][]> records) {
    try {
      producer.beginTransaction();
      final List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
      for (final byte[][] record : records) {
        sent.add(
            producer.send(new ProducerRecord<>(topic, partition.partition(), record[0], record[1])));
      }
      final long deadline = System.nanoTime() + timeout.toNanos();
      final Set<Long> offsets = new HashSet<>();
      for (final Future<RecordMetadata> one : sent) {
        final long left = Math.max(0L, deadline - System.nanoTime());
        offsets.add(one.get(left, TimeUnit.NANOSECONDS).offset());
      }
      producer.commitTransaction();
      return offsets;
    } catch (final InterruptedException e) {
      dropProducer();
      Thread.currentThread().interrupt();
      throw new SchemaStoreException("Interrupted while writing to topic " + topic, e);
    } catch (final ExecutionException | TimeoutException | KafkaException e) {
      // Whatever failed, the transaction is not committed or its outcome is unknown: drop the
      // producer. The next append claims the writes again, which aborts an open transaction
      // and reads what did commit.
      dropProducer();
      if (fenced(e)) {
        LOG.debug("Another registry took over the writes to {}; this one reads and retries", topic);
        throw new SchemaStoreConflictException(
            "Another registry took over the writes to topic " + topic, e);
      }
      throw new SchemaStoreException("Failed to write to topic " + topic, e);
    }
  }

  private static boolean fenced(final Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ProducerFencedException
          || cause instanceof InvalidProducerEpochException) {
        return true;
      }
    }
    return false;
  }

  private void dropProducer() {
    final Producer<byte[], byte[]> dropped = producer;
    producer = null;
    if (dropped != null) {
      closeQuietly(() -> dropped.close(Duration.ZERO), "producer");
    }
  }

  /** Reads on from where the store's consumer stands to the end of the topic. */
  private void readOnToTheEnd(final RecordHandler<byte[], byte[]> each) {
    read(fromPosition(), each);
  }

  /** A read of the store's partition from where its consumer stands. */
  private ReadRequest fromPosition() {
    return ReadRequest.fromBeginning(topic, timeout)
        .partitions(partition.partition())
        .startingAt(Map.of(partition.partition(), position()));
  }

  private long position() {
    return reader.consumer().position(partition, timeout);
  }

  /** One read within the store's timeout, with the store's own failures. */
  private void read(final ReadRequest request, final RecordHandler<byte[], byte[]> each) {
    try {
      reader.read(request, each);
    } catch (final TopicReadTimeoutException e) {
      throw new SchemaStoreException("Timed out after " + timeout + " reading " + topic + ": " + e.getMessage(), e);
    } catch (final ClientsException e) {
      throw new SchemaStoreException("Failed to read topic " + topic + ": " + e.getMessage(), e);
    }
  }

  private Optional<StoreRecord> decode(final ConsumerRecord<byte[], byte[]> record) {
    try {
      return codec.decode(record.key(), record.value());
    } catch (final IllegalArgumentException e) {
      LOG.warn(
          "Skipping an unreadable record at offset {} of {}: {}",
          record.offset(),
          topic,
          e.getMessage());
      return Optional.empty();
    }
  }

  private static String describe(
      final String bootstrapServers, final String topic, final Map<String, Object> overrides) {
    requireText(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(overrides, "clientOverrides");
    return "KafkaSchemaStore[topic=" + topic + ", bootstrap=" + bootstrapServers + "]";
  }

  private static void closeQuietly(final Runnable close, final String what) {
    try {
      close.run();
    } catch (final RuntimeException e) {
      LOG.warn("Failed to close the schema store's {}: {}", what, e.toString());
    }
  }

  private static void ensureTopic(
      final Map<String, Object> adminConfig,
      final String topic,
      final short replicationFactor,
      final Duration timeout) {
    final long ms = timeout.toMillis();
    try (Admin admin = Admin.create(adminConfig)) {
      final Set<String> names =
          admin
              .listTopics(new ListTopicsOptions().listInternal(true))
              .names()
              .get(ms, TimeUnit.MILLISECONDS);
      if (!names.contains(topic)) {
        final NewTopic newTopic =
            new NewTopic(topic, 1, replicationFactor)
                .configs(
                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
          admin.createTopics(List.of(newTopic)).all().get(ms, TimeUnit.MILLISECONDS);
          LOG.info(
              "Created schema topic {} (1 partition, replication factor {}, compacted)",
              topic,
              replicationFactor);
        } catch (final ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      final TopicDescription description =
          admin.describeTopics(List.of(topic)).allTopicNames().get(ms, TimeUnit.MILLISECONDS)
              .get(topic);
      if (description.partitions().size() != 1) {
        throw new SchemaStoreException(
            "Schema topic "
                + topic
                + " has "
                + description.partitions().size()
                + " partitions; it must have exactly 1 so that the log has one order",
            null);
      }
      final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      final Config config =
          admin.describeConfigs(List.of(resource)).all().get(ms, TimeUnit.MILLISECONDS)
              .get(resource);
      final ConfigEntry policy = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
      if (policy == null || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
        LOG.warn(
            "Schema topic {} has cleanup.policy={}; without compaction, old schemas can be lost",
            topic,
            policy == null ? "unknown" : policy.value());
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaStoreException("Interrupted while preparing topic " + topic, e);
    } catch (final ExecutionException | TimeoutException | KafkaException e) {
      throw new SchemaStoreException("Failed to prepare schema topic " + topic, e);
    }
  }

  static Map<String, Object> adminConfig(
      final String bootstrapServers, final Map<String, Object> overrides) {
    final Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, requireText(bootstrapServers, "bootstrapServers"));
    config.putAll(Objects.requireNonNull(overrides, "clientOverrides"));
    return config;
  }

  static Map<String, Object> producerConfig(
      final String bootstrapServers, final String topic, final Map<String, Object> overrides) {
    final Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "outpost-registry-store-producer-" + topic);
    // One id for every registry on the topic: a new writer fences the one before (class javadoc).
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-writer");
    config.putAll(overrides);
    // acks=all and idempotence, which the transactions need anyway; an override asking for less
    // is refused.
    final Map<String, Object> safe = ProducerSettings.safe(config);
    // The store's records are its own JSON, written and read as bytes.
    safe.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    safe.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return safe;
  }

  static Map<String, Object> consumerConfig(
      final String bootstrapServers, final String topic, final Map<String, Object> overrides) {
    final Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "outpost-registry-store-reader-" + topic);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.putAll(overrides);
    // A write aborted when another registry took over must never be read.
    final Map<String, Object> safe = ConsumerSettings.safe(config, IsolationLevel.READ_COMMITTED);
    // The store assigns its one partition itself: no group, no committed offsets.
    safe.remove(ConsumerConfig.GROUP_ID_CONFIG);
    safe.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    safe.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return safe;
  }

  private static String requireText(final String value, final String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }
}
