package dev.outpost.subscribers;

import dev.outpost.clients.ReadRequest;
import dev.outpost.clients.TopicReader;
import dev.outpost.model.Subscription;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroDeserializer;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
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
   * Reads the whole topic, read committed, from its start to its end as it was when reading began.
   *
   * @param timeout how long the whole read may take
   * @return the current subscriptions by id, ordered by id
   * @throws dev.outpost.clients.TopicReadTimeoutException when the end is not reached within the
   *     timeout, naming the partitions still behind
   */
  public Map<String, Subscription> readAll(final Duration timeout) {
    try (TopicReader<String, Subscription> reader =
        TopicReader.create(
            kafkaProperties, IsolationLevel.READ_COMMITTED, new StringDeserializer(), new SpecificAvroDeserializer<>(registry, Subscription.class))) {
      return new TreeMap<>(reader.readLatest(ReadRequest.fromBeginning(Topics.SUBSCRIPTIONS.name(), timeout)));
    }
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
