package dev.outpost.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.classifier.Classifier;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.NewsItem;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deduplication on a real broker, exactly once, with the default window: a current item, one a
 * month old and one with no publication date, each published three times into one partition, come
 * out once each, with one alert per label, and the dedupe store skips nothing as expired.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DeduplicationIT {

  private static final PipelineConfig CONFIG = PipelineConfig.defaults();

  @TempDir static Path dir;

  private static EmbeddedStack stack;
  private static SchemaRegistryClient registry;
  private static PipelineSerdes serdes;
  private static Pipeline pipeline;

  @BeforeAll
  static void start() {
    stack = EmbeddedStack.builder().dataDir(dir.resolve("stack")).kafkaPort(0).registryPort(0).build().start();
    registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
    serdes = PipelineSerdes.using(registry, Map.of());
    pipeline =
        Pipeline.start(
            CONFIG,
            StreamsSettings.forDevCluster(stack.bootstrapServers(), dir.resolve("state")).withApplicationId("dedupe-it"),
            Classifier.withDefaultRules(),
            PipelineSerdes.using(registry, Map.of()),
            new PipelineMetrics("dedupe-it"),
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

  private static NewsItem item(final String id, final String title, final String body, final Instant published) {
    final Instant now = Instant.now();
    return NewsItem.newBuilder()
        .setId(id)
        .setSource("test")
        .setTitle(title)
        .setBody(body)
        .setPublishedAt(published)
        .setIngestedAt(now)
        .build();
  }

  @Test
  void oldNewAndUndatedItemsPublishedThreeTimesGiveOneAlertEach() {
    final Instant now = Instant.now();
    final NewsItem current =
        item("current", "Troops sent north", "The government sent 2,000 troops to the northern border region.", now.minus(Duration.ofHours(1)));
    final NewsItem old =
        item("old", "Envoy summoned", "Japan summoned China's ambassador to protest the incursion.", now.minus(Duration.ofDays(30)));
    final NewsItem undated =
        item("undated", "National day", "Tanks and missiles rolled through the capital in a military parade on Sunday.", null);
    // Published once, after all the copies: once it is committed, so is everything before it.
    final NewsItem last = item("last", "Quiet day", "Pupils took part in a fire drill at the school.", now);

    final Map<String, Object> producerConfig = new HashMap<>(stack.kafkaProperties());
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
      // All into one partition, so that one stream time runs over them: the current item sets it,
      // and the old one is a month behind, far outside the seven-day window.
      final List<NewsItem> sends = new ArrayList<>();
      for (int copy = 0; copy < 3; copy++) {
        sends.addAll(List.of(current, old, undated));
      }
      sends.add(last);
      final List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (final NewsItem item : sends) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    CONFIG.inputTopic(), 0, item.getId(), serdes.newsItems().serializer().serialize(CONFIG.inputTopic(), item))));
      }
      producer.flush();
      assertThat(sent).as("every record acknowledged").allSatisfy(s -> assertThat(s).succeedsWithin(Duration.ofSeconds(30)));
    }

    try (CommittedOutput output = new CommittedOutput(stack.kafkaProperties(), serdes, CONFIG, "dedupe-reader")) {
      await()
          .alias("the four items and their alerts committed, and everything committed before them read")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> output.drain() >= 4 && output.hasClassified(last.getId()) && output.caughtUp());
      output.assertEachExactlyOnce(List.of(current, old, undated, last));
    }
    assertThat(pipeline.metrics().duplicates()).isEqualTo(6);
    assertThat(pipeline.metrics().timestampFallbacks()).as("the undated item's copies").isEqualTo(3);
    final List<Double> dropped =
        pipeline.streams().metrics().entrySet().stream()
            .filter(e -> e.getKey().name().equals("dropped-records-total"))
            .filter(e -> e.getKey().group().equals("stream-task-metrics"))
            .map(e -> ((Number) e.getValue().metricValue()).doubleValue())
            .toList();
    assertThat(dropped).as("the tasks' dropped-records metrics").isNotEmpty();
    assertThat(dropped).as("records skipped, such as puts into expired segments").containsOnly(0.0);
  }
}
