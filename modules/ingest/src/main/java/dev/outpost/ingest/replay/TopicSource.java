package dev.outpost.ingest.replay;

import dev.outpost.clients.ReadCursor;
import dev.outpost.clients.ReadRequest;
import dev.outpost.clients.RecordHandler;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.clients.TopicReader;
import dev.outpost.ingest.IngestException;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;

/**
 * Items from a topic of news items, read committed, from its beginning to where it ended when the
 * replay started. Partitions are read side by side, each in its order; the position is the next
 * offset of each partition. No consumer group is used: the replay keeps its own position.
 *
 * <p>The replay paces the read (at {@code --speed realtime} it may take days), so the read is
 * taken a poll at a time, and fails only when no partition moves closer to its end for {@link
 * #STALL_TIMEOUT}, naming the partitions behind.
 */
public final class TopicSource implements ReplaySource {

  /** How long the read may make no progress while the replay waits for items. */
  static final Duration STALL_TIMEOUT = Duration.ofMillis(TopicAdmin.REACH_TIMEOUT_MS);

  private final String topic;
  private final TopicReader<String, NewsItem> reader;
  private final ReadCursor<String, NewsItem> cursor;
  private final Map<TopicPartition, Long> next = new HashMap<>();
  private final Deque<ConsumerRecord<String, NewsItem>> buffer = new ArrayDeque<>();
  private final RecordHandler<String, NewsItem> handler;
  private long bad;

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param registry where the items' schemas are
   * @param topic a topic of news items
   * @param problems told each record that cannot be read
   * @throws IngestException when the topic does not exist
   */
  public TopicSource(
      final Map<String, Object> kafkaProperties,
      final SchemaRegistryClient registry,
      final String topic,
      final Consumer<String> problems) {
    this.topic = topic;
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "outpost-replay-source");
    // The topic may be any of news items, a namespace's included: they all have the catalog's types.
    this.reader = TopicSerdes.reader(Topics.NEWS_ITEMS, props, IsolationLevel.READ_COMMITTED, registry);
    try {
      this.cursor = reader.open(ReadRequest.fromBeginning(topic, STALL_TIMEOUT));
    } catch (final RuntimeException e) {
      reader.close();
      throw e;
    }
    if (cursor.partitions().isEmpty()) {
      reader.close();
      throw new IngestException("--from-topic '" + topic + "' does not exist");
    }
    this.handler =
        new RecordHandler<>() {
          @Override
          public void accept(final ConsumerRecord<String, NewsItem> record) {
            buffer.add(record);
          }

          @Override
          public void unreadable(final RecordDeserializationException e) {
            bad++;
            next.put(e.topicPartition(), e.offset() + 1);
            problems.accept(topic + "-" + e.topicPartition().partition() + "@" + e.offset() + ": unreadable (" + e.getMessage() + ")");
          }
        };
    next.putAll(cursor.positions());
  }

  @Override
  public String description() {
    return "topic " + topic;
  }

  @Override
  public long size() {
    long n = 0;
    for (final TopicPartition p : cursor.partitions()) {
      n += Math.max(0, cursor.endOffsets().get(p) - next.get(p));
    }
    return n;
  }

  @Override
  public void resume(final Map<String, Long> position) {
    for (final TopicPartition p : cursor.partitions()) {
      final Long offset = position.get(Integer.toString(p.partition()));
      if (offset != null && offset > next.get(p)) {
        cursor.seek(p, offset);
        next.put(p, offset);
      }
    }
  }

  @Override
  public NewsItem next() {
    while (true) {
      final ConsumerRecord<String, NewsItem> r = buffer.poll();
      if (r != null) {
        // The position moves with each record handed out, not with each poll: a replay saves it
        // with every transaction, and items still in the buffer have not been sent.
        next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
        if (r.value() == null) {
          continue;
        }
        return r.value();
      }
      if (!cursor.poll(handler) && buffer.isEmpty()) {
        return null;
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
    reader.close();
  }
}
