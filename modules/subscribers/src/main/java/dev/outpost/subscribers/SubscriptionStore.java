package dev.outpost.subscribers;

import dev.outpost.clients.ReadRequest;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.clients.TopicReader;
import dev.outpost.model.Subscription;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.model.WebhookTarget;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;

/**
 * Reads and writes the subscriptions topic: the latest version of each subscription wins. Webhook
 * secrets are encrypted here, on the way in, so no plaintext secret is ever written; reading
 * returns them as stored, and {@link SecretCipher#secretOf} decrypts one where it is needed.
 */
public final class SubscriptionStore {

  /**
   * What {@link #reencryptAll} did.
   *
   * @param rewritten webhooks written again, their secrets encrypted with the current key
   * @param alreadyCurrent webhooks whose secrets already were
   * @param failures why each of the other webhooks could not be decrypted, naming it and its key
   */
  public record Reencryption(int rewritten, int alreadyCurrent, List<String> failures) {

    /**
     * @param rewritten webhooks written again
     * @param alreadyCurrent webhooks whose secrets already were encrypted with the current key
     * @param failures why each of the others could not be decrypted
     */
    public Reencryption {
      failures = List.copyOf(failures);
    }
  }

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
   * Creates the subscriptions topic when the cluster lacks it: compacted, one partition, as many
   * replicas as the cluster sensibly allows.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @return whether it was created
   * @throws dev.outpost.clients.ClusterAccessException when the cluster cannot be reached
   */
  public static boolean createTopicIfMissing(final Map<String, Object> kafkaProperties) {
    final TopicSpec<String, Subscription> spec = Topics.SUBSCRIPTIONS;
    return !TopicAdmin.createMissingTopics(
            kafkaProperties,
            List.of(new TopicAdmin.Topic(spec.name(), spec.partitions(), spec.configs())),
            TopicAdmin.sensibleReplication(kafkaProperties))
        .isEmpty();
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
        TopicSerdes.reader(Topics.SUBSCRIPTIONS, kafkaProperties, IsolationLevel.READ_COMMITTED, registry)) {
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
   * Encrypts every webhook secret with the cipher's current key: secrets stored unencrypted by
   * earlier versions, and secrets encrypted with an older key the cipher still holds. Topic
   * subscriptions have no secret and are left alone; a secret that cannot be decrypted is left as
   * it is and reported, and the others are rewritten all the same.
   *
   * @param timeout how long reading the topic may take
   * @return what was rewritten, what already was current, and what could not be decrypted
   */
  public Reencryption reencryptAll(final Duration timeout) {
    return reencrypt(readAll(timeout).values(), cipher, this::put);
  }

  /**
   * @param subscriptions the subscriptions there are
   * @param cipher the keys: the current one to encrypt with, any to decrypt with
   * @param write where each webhook to rewrite goes, its secret in plaintext for {@link #put} to
   *     encrypt with the current key
   * @return what was rewritten, what already was current, and what could not be decrypted
   */
  static Reencryption reencrypt(final Collection<Subscription> subscriptions, final SecretCipher cipher, final Consumer<Subscription> write) {
    int rewritten = 0;
    int current = 0;
    final List<String> failures = new ArrayList<>();
    for (final Subscription s : subscriptions) {
      if (!(s.getTarget() instanceof WebhookTarget w)) {
        continue;
      }
      if (w.getEncryptedSecret() != null && w.getEncryptedSecret().getKeyId().equals(cipher.currentKeyId())) {
        current++;
        continue;
      }
      try {
        final String secret = cipher.secretOf(s);
        write.accept(
            new Subscription(s.getId(), s.getFilter(), new WebhookTarget(w.getUrl(), secret, null), s.getCreatedAt(), s.getEnabled(), s.getDisabledReason()));
        rewritten++;
      } catch (final SecretCipherException e) {
        failures.add(e.getMessage());
      }
    }
    return new Reencryption(rewritten, current, failures);
  }

  /**
   * Writes a tombstone for a subscription that exists.
   *
   * @param id its id
   * @param timeout how long reading the topic may take
   * @throws java.util.NoSuchElementException naming the subscriptions there are, when none has
   *     this id; nothing is written then
   */
  public void removeExisting(final String id, final Duration timeout) {
    Subscriptions.requireExisting(id, readAll(timeout).keySet());
    remove(id);
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
    try (KafkaProducer<String, Subscription> producer = TopicSerdes.producer(Topics.SUBSCRIPTIONS, kafkaProperties, registry)) {
      producer
          .send(new ProducerRecord<>(Topics.SUBSCRIPTIONS.name(), id, value))
          .get(30, TimeUnit.SECONDS);
    } catch (final ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Could not write subscription " + id + " to " + Topics.SUBSCRIPTIONS.name(), e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted writing subscription " + id, e);
    }
  }
}
