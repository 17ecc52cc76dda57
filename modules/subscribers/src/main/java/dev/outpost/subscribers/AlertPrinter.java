package dev.outpost.subscribers;

import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A console subscriber: prints each committed alert as it arrives, with its category, confidence,
 * actors, title and evidence. It reads every alert topic from their ends as they were when it was
 * created, so it shows what arrives from then on, and counts what it printed.
 */
public final class AlertPrinter implements Runnable, AutoCloseable {

  private final KafkaConsumer<String, Alert> consumer;
  private final PrintWriter out;
  private final Predicate<Alert> counted;
  private final Map<Category, Integer> counts = new EnumMap<>(Category.class);
  private final Map<String, List<Category>> byItem = new HashMap<>();
  private final AtomicBoolean stopped = new AtomicBoolean();

  /**
   * Subscribes to the alert topics and fixes the start positions at their current ends.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param registry the registry the alerts' schemas are in
   * @param out where alerts are printed
   * @param counted which alerts to count (all are printed)
   */
  public AlertPrinter(
      final Map<String, Object> kafkaProperties,
      final SchemaRegistryClient registry,
      final PrintWriter out,
      final Predicate<Alert> counted) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "outpost-alert-printer");
    // Every alert topic has the same key and value types; the consumer is assigned all of them.
    this.consumer = TopicSerdes.consumer(Topics.ALERTS_MILITARY_EXERCISE, props, IsolationLevel.READ_COMMITTED, registry);
    this.out = out;
    this.counted = counted;
    final List<TopicPartition> partitions = new ArrayList<>();
    for (final Category category : Category.values()) {
      final String topic = Topics.alertTopicFor(category).name();
      for (final PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(15))) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // position() resolves the end offsets now, before anything is published.
    partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(15)));
  }

  @Override
  public void run() {
    try {
      while (!stopped.get()) {
        for (final ConsumerRecord<String, Alert> record : consumer.poll(Duration.ofMillis(200))) {
          print(record.value());
        }
      }
    } catch (final WakeupException e) {
      if (!stopped.get()) {
        throw e;
      }
    } finally {
      consumer.close();
    }
  }

  private void print(final Alert alert) {
    synchronized (this) {
      out.println(AlertText.format(alert));
      out.flush();
      if (counted.test(alert)) {
        counts.merge(alert.getCategory(), 1, Integer::sum);
        byItem.computeIfAbsent(alert.getItemId(), k -> new ArrayList<>()).add(alert.getCategory());
      }
    }
  }

  /** @return the counted alerts printed so far, by category */
  public synchronized Map<Category, Integer> counts() {
    return new EnumMap<>(counts);
  }

  /** @return the number of counted alerts printed so far */
  public synchronized int total() {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * @param itemId an item id
   * @return the categories of the counted alerts printed for it
   */
  public synchronized List<Category> alertsFor(final String itemId) {
    return List.copyOf(byItem.getOrDefault(itemId, List.of()));
  }

  @Override
  public void close() {
    stopped.set(true);
    consumer.wakeup();
  }
}
