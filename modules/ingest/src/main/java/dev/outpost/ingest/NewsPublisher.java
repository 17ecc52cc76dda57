package dev.outpost.ingest;

import dev.outpost.clients.TopicAdmin;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes news items to {@link Topics#NEWS_ITEMS}, keyed by item id, with {@code acks=all} and
 * idempotence ({@link dev.outpost.clients.ProducerSettings}) so a retried send neither loses nor
 * repeats a record.
 */
public final class NewsPublisher implements AutoCloseable {

  private final KafkaProducer<String, NewsItem> producer;

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param registry the schema registry the serializer registers with
   * @throws IllegalArgumentException when the properties ask for {@code acks} other than {@code
   *     all} or for {@code enable.idempotence=false}
   */
  public NewsPublisher(final Map<String, Object> kafkaProperties, final SchemaRegistryClient registry) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TopicAdmin.REACH_TIMEOUT_MS);
    props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "outpost-publish");
    this.producer = TopicSerdes.producer(Topics.NEWS_ITEMS, props, registry);
  }

  /**
   * Sends every item and waits until each is acknowledged.
   *
   * @param items the items, in order
   * @param progress told the count acknowledged so far, after each acknowledgement
   * @return where each item was written, in input order
   * @throws IllegalStateException naming the first item that failed
   */
  public List<RecordMetadata> publish(final List<NewsItem> items, final IntConsumer progress) {
    final String topic = Topics.NEWS_ITEMS.name();
    final List<Future<RecordMetadata>> sends = new ArrayList<>(items.size());
    for (final NewsItem item : items) {
      sends.add(producer.send(new ProducerRecord<>(topic, item.getId(), item)));
    }
    producer.flush();
    final List<RecordMetadata> written = new ArrayList<>(items.size());
    for (int i = 0; i < sends.size(); i++) {
      try {
        written.add(sends.get(i).get());
        progress.accept(i + 1);
      } catch (final ExecutionException e) {
        throw new IllegalStateException(
            "Item " + items.get(i).getId() + " was not written to " + topic, e.getCause());
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while publishing to " + topic, e);
      }
    }
    return written;
  }

  @Override
  public void close() {
    producer.close();
  }
}
