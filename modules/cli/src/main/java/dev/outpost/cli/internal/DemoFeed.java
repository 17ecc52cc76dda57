package dev.outpost.cli.internal;

import dev.outpost.clients.ProducerSettings;
import dev.outpost.ingest.NewsFileReader;
import dev.outpost.ingest.NewsPublisher;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import dev.outpost.registry.serde.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the demo publishes: the sample items and one repeat delivery, through the {@link
 * NewsPublisher} like any feed, then the kinds of bad record a real feed sends sooner or later, so
 * the demo shows every route of the pipeline.
 */
public final class DemoFeed {

  /**
   * A record the pipeline should dead-letter: bytes no serializer writes.
   *
   * @param key the record key
   * @param value the record value bytes
   */
  public record BadRecord(String key, byte[] value) {}

  private final SchemaRegistryClient registry;
  private final List<NewsItem> news = new ArrayList<>();
  private final List<BadRecord> malformed = new ArrayList<>();
  private final int items;

  /** The bundled article Outpost was conceived from. */
  public static final String SEED_SAMPLE = "samples/seed-article.txt";

  /** The bundled real news excerpts, as JSON Lines. */
  public static final String FEED_SAMPLE = "samples/sample-feed.jsonl";

  /**
   * @param clock the clock items without a date take their time from
   * @param run a tag unique to this run, appended to every id, so that a second run on the same
   *     data is not dropped as repeats of the first
   * @return the bundled samples: the seed article, then the excerpts
   */
  public static List<NewsItem> bundledSamples(final Clock clock, final String run) {
    final NewsFileReader reader = new NewsFileReader(clock);
    final List<NewsItem> samples = new ArrayList<>();
    samples.addAll(reader.parse(SEED_SAMPLE, resource(SEED_SAMPLE), NewsFileReader.Format.TEXT, "outpost-sample"));
    samples.addAll(reader.parse(FEED_SAMPLE, resource(FEED_SAMPLE), NewsFileReader.Format.JSONL, "outpost-sample"));
    final List<NewsItem> items = new ArrayList<>(samples.size());
    for (final NewsItem item : samples) {
      items.add(NewsItem.newBuilder(item).setId(item.getId() + "." + run).build());
    }
    return items;
  }

  private static String resource(final String name) {
    try (InputStream in = DemoFeed.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("The bundled sample " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (final IOException e) {
      throw new UncheckedIOException("Cannot read the bundled sample " + name, e);
    }
  }

  /**
   * @param samples the sample items, with ids unique to this run
   * @param registry where the serializer registers the schema
   */
  public DemoFeed(final List<NewsItem> samples, final SchemaRegistryClient registry) {
    this.registry = registry;
    this.items = samples.size();
    final NewsItem first = samples.get(0);
    news.addAll(samples);
    news.add(first);
    // Well-formed, but over the pipeline's 2 KB title limit: dead-lettered like the bytes below.
    news.add(
        NewsItem.newBuilder(first)
            .setId(first.getId() + "-huge-title")
            .setTitle("A title far too long ".repeat(150))
            .build());
    final byte[] good;
    try (Serializer<NewsItem> serializer = TopicSerdes.valueSerde(Topics.NEWS_ITEMS, registry).serializer()) {
      good = serializer.serialize(Topics.NEWS_ITEMS.name(), first);
    }
    // JSON instead of the wire format (wrong magic byte), a schema id the registry does not know,
    // and truncated bytes.
    final String json = "{\"id\":\"" + first.getId() + "-json\",\"title\":\"sent as JSON\"}";
    malformed.add(new BadRecord(first.getId() + "-json", json.getBytes(StandardCharsets.UTF_8)));
    malformed.add(
        new BadRecord(
            first.getId() + "-unknown-schema",
            WireFormat.write(Integer.MAX_VALUE - 7, Arrays.copyOfRange(good, WireFormat.HEADER_SIZE, good.length))));
    malformed.add(new BadRecord(first.getId() + "-truncated", Arrays.copyOf(good, good.length / 2)));
  }

  /** @return how many distinct, valid items the feed holds */
  public int items() {
    return items;
  }

  /** @return how many records the pipeline should drop as repeats */
  public int repeats() {
    return 1;
  }

  /** @return how many records the pipeline should dead-letter: the title too long and the bad bytes */
  public int badRecords() {
    return 1 + malformed.size();
  }

  /**
   * Publishes every record and waits until each is acknowledged: the items through the {@link
   * NewsPublisher}, then the bad bytes.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @throws IllegalStateException naming the record that could not be written
   */
  public void publish(final Map<String, Object> kafkaProperties) {
    try (NewsPublisher publisher = new NewsPublisher(kafkaProperties, registry)) {
      publisher.publish(news, acknowledged -> {});
    }
    final Map<String, Object> props = ProducerSettings.safe(kafkaProperties);
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "outpost-demo-feed");
    // Bytes, not the catalog's NewsItem values: these are bytes no serializer writes.
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      final List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (final BadRecord r : malformed) {
        sent.add(producer.send(new ProducerRecord<>(Topics.NEWS_ITEMS.name(), r.key(), r.value())));
      }
      producer.flush();
      for (int i = 0; i < sent.size(); i++) {
        try {
          sent.get(i).get();
        } catch (final ExecutionException e) {
          throw new IllegalStateException("Could not publish " + malformed.get(i).key(), e.getCause());
        } catch (final InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while publishing the demo feed", e);
        }
      }
    }
  }
}
