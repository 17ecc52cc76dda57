package dev.outpost.cli.replay;

import dev.outpost.cli.UserException;
import dev.outpost.model.NewsItem;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroDeserializer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Items from a topic of news items, read committed, from its beginning to where it ended when the
 * replay started. Partitions are read side by side, each in its order; the position is the next
 * offset of each partition. No consumer group is used: the replay keeps its own position.
 */
public final class TopicSource implements ReplaySource {

  private final String topic;
  private final Consumer<String> problems;
  private final KafkaConsumer<String, NewsItem> consumer;
  private final List<TopicPartition> partitions;
  private final Map<TopicPartition, Long> end;
  private final Map<TopicPartition, Long> next = new HashMap<>();
  private final Deque<ConsumerRecord<String, NewsItem>> buffer = new ArrayDeque<>();
  private long bad;

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param registry where the items' schemas are
   * @param topic a topic of news items
   * @param problems told each record that cannot be read
   * @throws UserException when the topic does not exist
   */
  public TopicSource(
      final Map<String, Object> kafkaProperties,
      final SchemaRegistryClient registry,
      final String topic,
      final Consumer<String> problems) {
    this.topic = topic;
    this.problems = problems;
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "outpost-replay-source");
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new SpecificAvroDeserializer<>(registry, NewsItem.class));
    final List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
    if (infos == null || infos.isEmpty()) {
      consumer.close();
      throw new UserException("--from-topic '" + topic + "' does not exist");
    }
    this.partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    partitions.forEach(p -> next.put(p, consumer.position(p)));
    this.end = consumer.endOffsets(partitions);
  }

  @Override
  public String description() {
    return "topic " + topic;
  }

  @Override
  public long size() {
    long n = 0;
    for (final TopicPartition p : partitions) {
      n += Math.max(0, end.get(p) - next.get(p));
    }
    return n;
  }

  @Override
  public void resume(final Map<String, Long> position) {
    for (final TopicPartition p : partitions) {
      final Long offset = position.get(Integer.toString(p.partition()));
      if (offset != null && offset > next.get(p)) {
        consumer.seek(p, offset);
        next.put(p, offset);
      }
    }
  }

  @Override
  public NewsItem next() {
    while (true) {
      final ConsumerRecord<String, NewsItem> r = buffer.poll();
      if (r != null) {
        final TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (r.offset() >= end.get(tp)) {
          continue;
        }
        next.put(tp, r.offset() + 1);
        if (r.value() == null) {
          continue;
        }
        return r.value();
      }
      if (partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
        return null;
      }
      try {
        consumer.poll(Duration.ofMillis(500)).forEach(buffer::add);
      } catch (final RecordDeserializationException e) {
        bad++;
        problems.accept(topic + "-" + e.topicPartition().partition() + "@" + e.offset() + ": unreadable (" + e.getMessage() + ")");
        consumer.seek(e.topicPartition(), e.offset() + 1);
        next.put(e.topicPartition(), e.offset() + 1);
      }
    }
  }

  @Override
  public Map<String, Long> position() {
    final Map<String, Long> position = new TreeMap<>();
    next.forEach((p, o) -> position.put(Integer.toString(p.partition()), o));
    return position;
  }

  @Override
  public long bad() {
    return bad;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
