package dev.outpost.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.model.Alert;
import dev.outpost.model.ClassifiedItem;
import dev.outpost.model.Label;
import dev.outpost.model.NewsItem;
import dev.outpost.topology.internal.Results;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a pipeline has committed to its classified and alert topics, read committed and counted per
 * item id and per alert id, for the tests that check exactly once.
 */
final class CommittedOutput implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> reader;
  private final PipelineSerdes serdes;
  private final PipelineConfig config;
  private final Map<String, Integer> classified = new HashMap<>();
  private final Map<String, Integer> alerts = new HashMap<>();
  private final Map<String, ClassifiedItem> byId = new HashMap<>();

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param serdes reads the records
   * @param config the pipeline's topics
   * @param group the reader's consumer group
   */
  CommittedOutput(final Map<String, Object> kafkaProperties, final PipelineSerdes serdes, final PipelineConfig config, final String group) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.reader = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.serdes = serdes;
    this.config = config;
    final List<String> topics = new ArrayList<>(config.alertTopics().values());
    topics.add(config.classifiedTopic());
    reader.subscribe(topics);
  }

  /** @return how many distinct items are classified so far, after reading what arrived */
  int drain() {
    for (final ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(500))) {
      if (r.topic().equals(config.classifiedTopic())) {
        final ClassifiedItem c = serdes.classifiedItems().deserializer().deserialize(r.topic(), r.value());
        classified.merge(c.getItem().getId(), 1, Integer::sum);
        byId.put(c.getItem().getId(), c);
      } else {
        final Alert a = serdes.alerts().deserializer().deserialize(r.topic(), r.value());
        alerts.merge(a.getAlertId(), 1, Integer::sum);
      }
    }
    // An item is done once it and every alert of its labels were read: alerts take one more hop
    // (the story step's repartition) than the classified topic.
    int done = 0;
    for (final ClassifiedItem c : byId.values()) {
      boolean all = true;
      for (final Label l : c.getLabels()) {
        all &= alerts.containsKey(Results.alertId(c.getItem().getId(), l.getCategory()));
      }
      done += all ? 1 : 0;
    }
    return done;
  }

  /**
   * @param itemId an item id
   * @return true once the item was read in the classified topic
   */
  boolean hasClassified(final String itemId) {
    return classified.containsKey(itemId);
  }

  /**
   * @return true once this reader has read everything committed so far on every partition it
   *     reads: with read_committed, the end offsets are the last stable offsets
   */
  boolean caughtUp() {
    final Set<TopicPartition> assigned = reader.assignment();
    if (assigned.isEmpty()) {
      return false;
    }
    final Map<TopicPartition, Long> ends = reader.endOffsets(assigned);
    return ends.entrySet().stream().allMatch(e -> reader.position(e.getKey()) >= e.getValue());
  }

  /**
   * Reads once more, then checks that these items, and only they, were classified once each, and
   * that every alert their labels imply was written once.
   *
   * @param items the items sent
   */
  void assertEachExactlyOnce(final List<NewsItem> items) {
    // Anything duplicated would arrive right behind; give it a last chance to show up.
    drain();
    final Set<String> expectedIds = new HashSet<>();
    items.forEach(i -> expectedIds.add(i.getId()));
    assertThat(classified.keySet()).isEqualTo(expectedIds);
    assertThat(classified.values()).as("times each item was classified").containsOnly(1);
    final Set<String> expectedAlerts = new HashSet<>();
    for (final ClassifiedItem c : byId.values()) {
      for (final Label l : c.getLabels()) {
        expectedAlerts.add(Results.alertId(c.getItem().getId(), l.getCategory()));
      }
    }
    assertThat(expectedAlerts).isNotEmpty();
    assertThat(alerts.keySet()).isEqualTo(expectedAlerts);
    assertThat(alerts.values()).as("times each alert was written").containsOnly(1);
  }

  @Override
  public void close() {
    reader.close();
  }
}
