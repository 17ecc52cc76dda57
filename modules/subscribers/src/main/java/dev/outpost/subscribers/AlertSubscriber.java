package dev.outpost.subscribers;

import dev.outpost.model.Alert;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import dev.outpost.registry.serde.WireFormatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the alert topics a filter needs, in its own consumer group, and hands every matching
 * alert to an output. Offsets are committed only after the output has taken the alerts they
 * cover, so a subscriber restarted with the same group resumes where it stopped and loses
 * nothing; at worst it repeats the alerts of the last batch. An output that fails (a closed pipe)
 * stops the run with the alerts it took committed and the one it failed on not.
 *
 * <p>Reads committed records only. A record that cannot be read is logged with its coordinates
 * and skipped.
 */
public final class AlertSubscriber implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AlertSubscriber.class);

  private final KafkaConsumer<String, Alert> consumer;
  private final AlertFilter filter;
  private final String namespace;
  private final Position position;
  private final Set<TopicPartition> positioned = new HashSet<>();
  private final Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
  private final Map<TopicPartition, Long> timeStarts = new HashMap<>();

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param registry where the alerts' schemas are
   * @param group the consumer group
   * @param filter which alerts to hand on
   * @param position where to start: {@link Position#COMMITTED} resumes the group
   */
  public AlertSubscriber(
      final Map<String, Object> kafkaProperties,
      final SchemaRegistryClient registry,
      final String group,
      final AlertFilter filter,
      final Position position) {
    this(kafkaProperties, registry, group, filter, position, null);
  }

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param registry where the alerts' schemas are
   * @param group the consumer group
   * @param filter which alerts to hand on
   * @param position where to start: {@link Position#COMMITTED} resumes the group
   * @param namespace the replay namespace whose alerts to read, or null for the live ones
   */
  public AlertSubscriber(
      final Map<String, Object> kafkaProperties,
      final SchemaRegistryClient registry,
      final String group,
      final AlertFilter filter,
      final Position position,
      final String namespace) {
    this.filter = Objects.requireNonNull(filter, "filter");
    this.namespace = namespace;
    this.position = Objects.requireNonNull(position, "position");
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        position.kind() == Position.Kind.EARLIEST ? "earliest" : "latest");
    // Every alert topic has the same key and value types; run() subscribes to those the filter names.
    this.consumer = TopicSerdes.consumer(Topics.ALERTS_MILITARY_EXERCISE, props, IsolationLevel.READ_COMMITTED, registry);
  }

  /**
   * Reads until {@code maxAlerts} alerts were handed on, nothing arrived for {@code idle}, or
   * {@code stop} says so.
   *
   * @param output takes each matching alert; it has taken it once it returns. If it throws, the
   *     run stops and the exception propagates: the alerts it took are committed, the one it threw
   *     on and those after it are not
   * @param maxAlerts stop after this many; 0 for no limit
   * @param idle stop after this long without a record; null to wait for ever
   * @param stop checked between polls
   * @return the number of alerts handed on
   */
  public long run(
      final Consumer<Alert> output, final long maxAlerts, final Duration idle, final BooleanSupplier stop) {
    if (position.kind() == Position.Kind.TIME) {
      final List<TopicPartition> partitions = new ArrayList<>();
      for (final String topic : filter.topicsIn(namespace)) {
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      }
      timeStarts.putAll(ClassifiedTimeSeeker.offsets(consumer, partitions, position.time()));
    }
    consumer.subscribe(filter.topicsIn(namespace), new Positioner());
    // What the output took is committed, also when it then failed: the alert it failed on was
    // never marked processed, so it and everything after it are read again by the next run.
    final long handed;
    try {
      handed = read(output, maxAlerts, idle, stop);
    } catch (final RuntimeException failure) {
      try {
        commit();
      } catch (final RuntimeException e) {
        failure.addSuppressed(e);
      }
      throw failure;
    }
    commit();
    return handed;
  }

  private long read(
      final Consumer<Alert> output, final long maxAlerts, final Duration idle, final BooleanSupplier stop) {
    long handed = 0;
    long lastRecord = System.nanoTime();
    while (!stop.getAsBoolean()) {
      final Iterable<ConsumerRecord<String, Alert>> records;
      try {
        records = consumer.poll(Duration.ofMillis(200));
      } catch (final RecordDeserializationException e) {
        WireFormatException.transientIn(e).ifPresent(w -> {
          // The registry is down or refuses us: the alert is fine and must not be skipped.
          throw new IllegalStateException(
              "Cannot read alerts: " + w.getMessage() + ". Nothing was skipped; the group resumes at "
                  + e.topicPartition() + "@" + e.offset(),
              w);
        });
        LOG.warn(
            "Skipping unreadable alert at {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
        consumer.seek(e.topicPartition(), e.offset() + 1);
        processed.put(e.topicPartition(), new OffsetAndMetadata(e.offset() + 1));
        continue;
      }
      boolean any = false;
      for (final ConsumerRecord<String, Alert> record : records) {
        any = true;
        if (record.value() != null && filter.matches(record.value())) {
          output.accept(record.value());
          handed++;
        }
        processed.put(
            new TopicPartition(record.topic(), record.partition()),
            new OffsetAndMetadata(record.offset() + 1));
        if (maxAlerts > 0 && handed >= maxAlerts) {
          return handed;
        }
      }
      commit();
      if (any) {
        lastRecord = System.nanoTime();
      } else if (idle != null && System.nanoTime() - lastRecord > idle.toNanos()) {
        return handed;
      }
    }
    return handed;
  }

  private void commit() {
    if (!processed.isEmpty()) {
      consumer.commitSync(processed);
      processed.clear();
    }
  }

  @Override
  public void close() {
    consumer.close();
  }

  /** Moves newly assigned partitions to the start position asked for, once. */
  private final class Positioner implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
      // Commit what was handed on before another member takes these partitions.
      final Map<TopicPartition, OffsetAndMetadata> mine = new HashMap<>();
      for (final TopicPartition p : partitions) {
        if (processed.containsKey(p)) {
          mine.put(p, processed.remove(p));
        }
      }
      if (!mine.isEmpty()) {
        consumer.commitSync(mine);
      }
    }

    @Override
    public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
      final Set<TopicPartition> fresh = new HashSet<>(partitions);
      fresh.removeAll(positioned);
      positioned.addAll(fresh);
      if (fresh.isEmpty()) {
        return;
      }
      switch (position.kind()) {
        case EARLIEST -> consumer.seekToBeginning(fresh);
        case LATEST -> consumer.seekToEnd(fresh);
        case TIME -> {
          // By the time alerts were classified, found before subscribing, not by their records'
          // timestamps, which are their news's event times.
          for (final TopicPartition p : fresh) {
            final Long at = timeStarts.get(p);
            if (at == null) {
              consumer.seekToEnd(Set.of(p));
            } else {
              consumer.seek(p, at);
            }
          }
        }
        case COMMITTED -> {
          // The group's committed offsets, or auto.offset.reset (latest) for a new group.
        }
      }
      // Remember the start at once: a subscriber that stops before reading a partition must
      // resume there, not at whatever the latest alert is by then.
      final Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(fresh);
      final Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
      for (final TopicPartition p : fresh) {
        if (position.kind() != Position.Kind.COMMITTED || committed.get(p) == null) {
          start.put(p, new OffsetAndMetadata(consumer.position(p)));
        }
      }
      if (!start.isEmpty()) {
        consumer.commitSync(start);
      }
    }
  }
}
