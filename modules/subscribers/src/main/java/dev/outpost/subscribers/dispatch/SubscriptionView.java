package dev.outpost.subscribers.dispatch;

import dev.outpost.model.Alert;
import dev.outpost.model.Subscription;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroDeserializer;
import dev.outpost.subscribers.SecretCipher;
import dev.outpost.subscribers.Subscriptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current subscriptions, kept up to date from the compacted topic by a thread of its own, so
 * a subscription added, changed or removed while the dispatcher runs takes effect within moments.
 */
final class SubscriptionView implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionView.class);

  private final Map<String, Subscription> current = new ConcurrentHashMap<>();
  private final java.util.Set<String> warned = new java.util.HashSet<>();
  private final KafkaConsumer<String, Subscription> consumer;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;

  SubscriptionView(final Map<String, Object> kafkaProperties, final SchemaRegistryClient registry) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new SpecificAvroDeserializer<>(registry, Subscription.class));
    thread = new Thread(this::follow, "outpost-dispatch-subscriptions");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void follow() {
    try {
      final String topic = Topics.SUBSCRIPTIONS.name();
      final List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (!closed.get()) {
        for (final ConsumerRecord<String, Subscription> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() == null) {
            current.remove(r.key());
          } else {
            if (SecretCipher.isPlaintext(r.value()) && warned.add(r.key())) {
              LOG.warn(
                  "Subscription {} keeps its webhook secret unencrypted in {}; it still works, but 'outpost subscriptions reencrypt' should encrypt it",
                  r.key(),
                  topic);
            }
            current.put(r.key(), r.value());
          }
        }
        if (caughtUp.getCount() > 0 && partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
          LOG.info("Read {} subscription(s)", current.size());
          caughtUp.countDown();
        }
      }
    } catch (final WakeupException e) {
      if (!closed.get()) {
        throw e;
      }
    } finally {
      consumer.close();
    }
  }

  /**
   * @param timeout how long to wait
   * @return whether every subscription written before the view started has been read
   * @throws InterruptedException if interrupted
   */
  boolean awaitCaughtUp(final Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * @param alert an alert
   * @return the enabled subscriptions that want it
   */
  List<Subscription> matching(final Alert alert) {
    final List<Subscription> matching = new ArrayList<>();
    for (final Subscription s : current.values()) {
      if (s.getEnabled() && Subscriptions.filterOf(s).matches(alert)) {
        matching.add(s);
      }
    }
    return matching;
  }

  /** @return every subscription as last read */
  List<Subscription> all() {
    return List.copyOf(current.values());
  }

  /**
   * @param id a subscription id
   * @return it as last read, or null
   */
  Subscription get(final String id) {
    return current.get(id);
  }

  /**
   * Takes a change this process wrote at once, rather than when it comes round the topic.
   *
   * @param subscription the new version
   */
  void update(final Subscription subscription) {
    current.put(subscription.getId(), subscription);
  }

  @Override
  public void close() {
    closed.set(true);
    consumer.wakeup();
  }
}
