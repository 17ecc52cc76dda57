package dev.outpost.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.classifier.Classifier;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.ClassifiedItem;
import dev.outpost.model.Label;
import dev.outpost.model.NewsItem;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.WireFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a real broker, with the schema registry over HTTP and exactly-once
 * processing: good items are classified and fanned out, a repeat is dropped, and unreadable or
 * invalid records land in the dead-letter topic with their bytes and reasons, committed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PipelineEndToEndIT {

  @TempDir static Path dir;

  private static EmbeddedStack stack;
  private static SchemaRegistryClient registry;
  private static Pipeline pipeline;
  private static PipelineSerdes serdes;
  private static final PipelineConfig CONFIG = PipelineConfig.defaults();
  private static final Classifier CLASSIFIER = Classifier.withDefaultRules();

  @BeforeAll
  static void start() {
    stack = EmbeddedStack.builder().dataDir(dir.resolve("stack")).kafkaPort(0).registryPort(0).build().start();
    registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
    serdes = PipelineSerdes.using(registry, Map.of());
    pipeline =
        Pipeline.start(
            CONFIG,
            StreamsSettings.forDevCluster(stack.bootstrapServers(), dir.resolve("state")),
            CLASSIFIER,
            PipelineSerdes.using(registry, Map.of()),
            new PipelineMetrics("e2e"),
            Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close(Duration.ofSeconds(30));
    }
    if (registry != null) {
      registry.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void itemsAreClassifiedFannedOutDeduplicatedAndBadRecordsDeadLettered() {
    final List<NewsItem> items = Items.fromDevSet("e2e", 200, Instant.now().minusSeconds(3600));
    final byte[] good = serdes.newsItems().serializer().serialize(CONFIG.inputTopic(), items.get(0));
    final byte[] wrongMagic = good.clone();
    wrongMagic[0] = 1;
    final byte[] unknownId = WireFormat.write(987_654, Arrays.copyOfRange(good, 5, good.length));
    final byte[] truncated = Arrays.copyOf(good, 9);
    final byte[] tooLong =
        serdes
            .newsItems()
            .serializer()
            .serialize(
                CONFIG.inputTopic(),
                NewsItem.newBuilder(items.get(1)).setId("too-long").setTitle("x".repeat(3000)).build());

    final Map<String, Object> producerConfig = new HashMap<>(stack.kafkaProperties());
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
      final List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (final NewsItem item : items) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    CONFIG.inputTopic(),
                    item.getId(),
                    serdes.newsItems().serializer().serialize(CONFIG.inputTopic(), item))));
      }
      // A repeat delivery of the first item, and four records that must be dead-lettered.
      sent.add(producer.send(new ProducerRecord<>(CONFIG.inputTopic(), items.get(0).getId(), good)));
      sent.add(producer.send(new ProducerRecord<>(CONFIG.inputTopic(), "bad-magic", wrongMagic)));
      sent.add(producer.send(new ProducerRecord<>(CONFIG.inputTopic(), "bad-id", unknownId)));
      sent.add(producer.send(new ProducerRecord<>(CONFIG.inputTopic(), "bad-truncated", truncated)));
      sent.add(producer.send(new ProducerRecord<>(CONFIG.inputTopic(), "too-long", tooLong)));
      producer.flush();
      assertThat(sent).as("every record acknowledged").allSatisfy(s -> assertThat(s).succeedsWithin(Duration.ofSeconds(30)));
    }

    final List<ClassifiedItem> classified = new ArrayList<>();
    final Map<Category, List<Alert>> alerts = new HashMap<>();
    final List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = committedReader()) {
      final List<String> topics = new ArrayList<>(List.of(CONFIG.classifiedTopic(), CONFIG.deadLetterTopic()));
      for (final Category c : Category.values()) {
        topics.add(CONFIG.alertTopic(c));
      }
      consumer.subscribe(topics);
      await()
          .alias("200 classified items, their alerts and 4 dead letters, committed")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                  if (r.topic().equals(CONFIG.classifiedTopic())) {
                    classified.add(serdes.classifiedItems().deserializer().deserialize(r.topic(), r.value()));
                  } else if (r.topic().equals(CONFIG.deadLetterTopic())) {
                    dead.add(r);
                  } else {
                    final Alert a = serdes.alerts().deserializer().deserialize(r.topic(), r.value());
                    assertThat(r.topic()).isEqualTo(CONFIG.alertTopic(a.getCategory()));
                    alerts.computeIfAbsent(a.getCategory(), k -> new ArrayList<>()).add(a);
                  }
                }
                final long labels = classified.stream().mapToLong(c -> c.getLabels().size()).sum();
                final long written = alerts.values().stream().mapToLong(List::size).sum();
                return classified.size() >= 200 && dead.size() >= 4 && written >= labels;
              });
    }

    assertThat(classified).extracting(c -> c.getItem().getId()).doesNotHaveDuplicates().hasSize(200);
    for (final ClassifiedItem c : classified) {
      final var expected = CLASSIFIER.classify(c.getItem().getTitle(), c.getItem().getBody());
      assertThat(c.getLabels()).extracting(Label::getCategory)
          .containsExactlyElementsOf(expected.labels().stream().map(l -> Category.valueOf(l.name())).toList());
    }
    for (final Category category : Category.values()) {
      final long labelled =
          classified.stream().filter(c -> c.getLabels().stream().anyMatch(l -> l.getCategory() == category)).count();
      assertThat(labelled).as("items labelled %s", category).isPositive();
      assertThat(alerts.getOrDefault(category, List.of())).as(category.name()).hasSize((int) labelled);
    }
    assertThat(dead)
        .extracting(r -> header(r, DeadLetters.REASON))
        .containsExactlyInAnyOrder("wrong_magic_byte", "unknown_schema_id", "truncated_body", "title_too_large");
    for (final ConsumerRecord<byte[], byte[]> r : dead) {
      final String key = new String(r.key(), StandardCharsets.UTF_8);
      final byte[] original =
          switch (key) {
            case "bad-magic" -> wrongMagic;
            case "bad-id" -> unknownId;
            case "bad-truncated" -> truncated;
            default -> tooLong;
          };
      assertThat(r.value()).as(key).isEqualTo(original);
      assertThat(header(r, DeadLetters.TOPIC)).isEqualTo(CONFIG.inputTopic());
      assertThat(header(r, DeadLetters.OFFSET)).isNotBlank();
    }
    assertThat(pipeline.metrics().duplicates()).isEqualTo(1);
    assertThat(pipeline.metrics().deadLetters()).isEqualTo(4);
    assertThat(pipeline.isRunning()).isTrue();
  }

  private static KafkaConsumer<byte[], byte[]> committedReader() {
    final Map<String, Object> config = new HashMap<>(stack.kafkaProperties());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-reader");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static String header(final ConsumerRecord<byte[], byte[]> r, final String name) {
    final Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
