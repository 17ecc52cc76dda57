package dev.outpost.subscribers.dispatch;

import dev.outpost.clients.ReadRequest;
import dev.outpost.clients.TopicReader;
import dev.outpost.model.Alert;
import dev.outpost.model.Subscription;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import dev.outpost.subscribers.SecretCipher;
import dev.outpost.subscribers.Subscriptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current subscriptions, kept up to date from the compacted topic by a thread of its own, so
 * a subscription added, changed or removed while the dispatcher runs takes effect within moments.
 * The topic is read committed: first to its end as it was at the start (within {@link
 * #CATCH_UP}), then followed from there with the same consumer.
 */
final class SubscriptionView implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionView.class);

  /** How long the first read to the end may take: as long as the dispatcher waits for it. */
  static final Duration CATCH_UP = Duration.ofSeconds(60);

  private final Map<String, Subscription> current = new ConcurrentHashMap<>();
  private final java.util.Set<String> warned = new java.util.HashSet<>();
  private final TopicReader<String, Subscription> reader;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private volatile RuntimeException failure;
  private final Thread thread;

  SubscriptionView(final Map<String, Object> kafkaProperties, final SchemaRegistryClient registry) {
    reader = TopicSerdes.reader(Topics.SUBSCRIPTIONS, kafkaProperties, IsolationLevel.READ_COMMITTED, registry);
    thread = new Thread(this::follow, "outpost-dispatch-subscriptions");
    thread.setDaemon(true);
  }

  void start() {
    started.set(true);
    thread.start();
  }

  private void follow() {
    try {
      final String topic = Topics.SUBSCRIPTIONS.name();
      reader.read(ReadRequest.fromBeginning(topic, CATCH_UP), this::apply);
      LOG.info("Read {} subscription(s)", current.size());
      caughtUp.countDown();
      // The reader leaves its consumer on the end offsets it read to: follow on from there.
      final Consumer<String, Subscription> consumer = reader.consumer();
      while (!closed.get()) {
        for (final ConsumerRecord<String, Subscription> r : consumer.poll(Duration.ofMillis(200))) {
          apply(r);
        }
      }
    } catch (final WakeupException e) {
      if (!closed.get()) {
        throw e;
      }
    } catch (final RuntimeException e) {
      if (caughtUp.getCount() > 0) {
        // The dispatcher is waiting for the first read: hand it the reason instead of a timeout.
        failure = e;
        caughtUp.countDown();
      }
      throw e;
    } finally {
      reader.close();
    }
  }

  private void apply(final ConsumerRecord<String, Subscription> r) {
    if (r.value() == null) {
      current.remove(r.key());
    } else {
      if (SecretCipher.isPlaintext(r.value()) && warned.add(r.key())) {
        LOG.warn(
            "Subscription {} keeps its webhook secret unencrypted in {}; it still works, but 'outpost subscriptions reencrypt' should encrypt it",
            r.key(),
            r.topic());
      }
      current.put(r.key(), r.value());
    }
  }

  /**
   * @param timeout how long to wait
   * @return whether every subscription written before the view started has been read
   * @throws InterruptedException if interrupted
   * @throws RuntimeException what stopped the first read, such as a {@code
   *     TopicReadTimeoutException} naming the partitions that did not reach their end
   */
  boolean awaitCaughtUp(final Duration timeout) throws InterruptedException {
    final boolean done = caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (failure != null) {
      throw failure;
    }
    return done;
  }

  /**
   * @param alert an alert
   * @return the enabled subscriptions that want it
   */
  List<Subscription> matching(final Alert alert) {
    final List<Subscription> matching = new ArrayList<>();
    for (final Subscription s : current.values()) {
      if (s.getEnabled() && Subscriptions.wantsAlerts(s) && Subscriptions.filterOf(s).matches(alert)) {
        matching.add(s);
      }
    }
    return matching;
  }

  /** @return the enabled subscriptions that want ops events */
  List<Subscription> matchingOps() {
    final List<Subscription> matching = new ArrayList<>();
    for (final Subscription s : current.values()) {
      if (s.getEnabled() && Subscriptions.wantsOps(s)) {
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
    if (started.get()) {
      // The thread closes the reader once it wakes.
      reader.wakeup();
    } else {
      reader.close();
    }
  }
}
