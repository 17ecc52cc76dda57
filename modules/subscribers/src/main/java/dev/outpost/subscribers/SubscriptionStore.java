package dev.outpost.subscribers;

import dev.outpost.model.Subscription;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroDeserializer;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads and writes the subscriptions topic: the latest version of each subscription wins. Webhook
 * secrets are encrypted here, on the way in, so no plaintext secret is ever written; reading
 * returns them as stored, and {@link SecretCipher#secretOf} decrypts one where it is needed.
 */
public final class SubscriptionStore {

  private final Map<String, Object> kafkaProperties;
  private final SchemaRegistryClient registry;
  private final SecretCipher cipher;

  /**
   * A store that reads, and writes only subscriptions without a plaintext secret.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param registry where the subscription schema is
   */
  public SubscriptionStore(final Map<String, Object> kafkaProperties, final SchemaRegistryClient registry) {
    this(kafkaProperties, registry, SecretCipher.none());
  }

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param registry where the subscription schema is
   * @param cipher encrypts webhook secrets before they are written
   */
  public SubscriptionStore(
      final Map<String, Object> kafkaProperties, final SchemaRegistryClient registry, final SecretCipher cipher) {
    this.kafkaProperties = Map.copyOf(kafkaProperties);
    this.registry = registry;
    this.cipher = cipher;
  }

  /**
   * Reads the whole topic, from its start to its end as it was when reading began.
   *
   * @param timeout how long to wait for the cluster
   * @return the current subscriptions by id, ordered by id
   */
  public Map<String, Subscription> readAll(final Duration timeout) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    final Map<String, Subscription> current = new TreeMap<>();
    try (KafkaConsumer<String, Subscription> consumer =
        new KafkaConsumer<>(
            props,
            new StringDeserializer(),
            new SpecificAvroDeserializer<>(registry, Subscription.class))) {
      final String topic = Topics.SUBSCRIPTIONS.name();
      final List<TopicPartition> partitions =
          consumer.partitionsFor(topic, timeout).stream()
              .map((PartitionInfo p) -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      final long deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Reading " + topic + " took longer than " + timeout);
        }
        for (final ConsumerRecord<String, Subscription> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() == null) {
            current.remove(r.key());
          } else {
            current.put(r.key(), r.value());
          }
        }
      }
    }
    return current;
  }

  /**
   * Writes a subscription, replacing any with the same id; a plaintext webhook secret is
   * encrypted first.
   *
   * @param subscription the subscription
   * @throws SecretCipherException when it has a plaintext secret and no secrets key is configured
   */
  public void put(final Subscription subscription) {
    write(subscription.getId(), cipher.seal(subscription));
  }

  /**
   * Writes a tombstone for a subscription.
   *
   * @param id its id
   */
  public void remove(final String id) {
    write(id, null);
  }

  private void write(final String id, final Subscription value) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (SpecificAvroSerializer<Subscription> values = new SpecificAvroSerializer<>(registry)) {
      values.configure(Map.of(), false);
      try (KafkaProducer<String, Subscription> producer =
          new KafkaProducer<>(props, new StringSerializer(), values)) {
        producer
            .send(new ProducerRecord<>(Topics.SUBSCRIPTIONS.name(), id, value))
            .get(30, TimeUnit.SECONDS);
      }
    } catch (final ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Could not write subscription " + id + " to " + Topics.SUBSCRIPTIONS.name(), e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted writing subscription " + id, e);
    }
  }
}
