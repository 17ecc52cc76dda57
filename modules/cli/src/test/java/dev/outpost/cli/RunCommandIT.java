package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.embedded.EmbeddedKafkaCluster;
import dev.outpost.model.ClassifiedItem;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroDeserializer;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import dev.outpost.registry.server.InMemorySchemaStore;
import dev.outpost.registry.server.RegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outpost run} against a bare cluster: with {@code --no-create-topics} it names what is
 * missing and exits 2; without, it creates the catalog's topics, classifies what is published, and
 * stops gracefully on SIGTERM.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RunCommandIT {

  @TempDir static Path dir;

  private static EmbeddedKafkaCluster kafka;
  private static RegistryServer registryServer;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafkaCluster.builder().build().start();
    registryServer = RegistryServer.builder().port(0).store(new InMemorySchemaStore()).build();
    registryServer.start();
  }

  @AfterAll
  static void stop() {
    if (registryServer != null) {
      registryServer.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void withNoCreateTopicsItNamesEveryMissingTopicAndExitsTwo() throws Exception {
    try (Admin admin = kafka.createAdmin()) {
      assertThat(admin.listTopics().names().get()).doesNotContain(Topics.NEWS_ITEMS.name());
    }

    final CliRunner.Result result =
        CliRunner.run(
            "run",
            "--no-create-topics",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--schema-registry-url",
            registryServer.url());

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    for (final var topic : Topics.PIPELINE) {
      assertThat(result.err()).contains(topic.name());
    }
  }

  @Test
  void createsTheTopicsClassifiesWhatIsPublishedAndStopsOnSigterm() throws Exception {
    final OutpostProcess run =
        OutpostProcess.start(
            "run",
            "--bootstrap-servers", kafka.bootstrapServers(),
            "--schema-registry-url", registryServer.url(),
            "--state-dir", dir.resolve("state").toString(),
            "--application-id", "run-it",
            "--status-interval", "1s",
            "--ops-port", "0");
    final List<String> lines = run.lines();
    try (SchemaRegistryClient registry =
        new HttpSchemaRegistryClient(RegistryClientConfig.of(registryServer.url()))) {
      await()
          .alias("the pipeline running")
          .atMost(Duration.ofSeconds(90))
          .until(() -> lines.stream().anyMatch(l -> l.contains("Pipeline run-it running")) || !run.isAlive());
      assertThat(run.isAlive()).as(String.join("\n", lines)).isTrue();
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("Created topics").contains(Topics.NEWS_ITEMS.name()));

      final NewsItem item =
          NewsItem.newBuilder()
              .setId("run-1")
              .setSource("it")
              .setTitle("Navy starts drills")
              .setBody("The navy began three days of live-fire drills off the eastern coast.")
              .setPublishedAt(Instant.now())
              .setIngestedAt(Instant.now())
              .build();
      final Map<String, Object> props = new HashMap<>(kafka.adminConfig());
      try (SpecificAvroSerializer<NewsItem> values = new SpecificAvroSerializer<>(registry)) {
        values.configure(Map.of(), false);
        try (KafkaProducer<String, NewsItem> producer =
            new KafkaProducer<>(props, new StringSerializer(), values)) {
          producer.send(new ProducerRecord<>(Topics.NEWS_ITEMS.name(), item.getId(), item)).get();
        }
      }

      final Map<String, Object> consumerProps = new HashMap<>(kafka.adminConfig());
      consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "run-it-reader");
      consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      final List<ClassifiedItem> classified = new ArrayList<>();
      try (KafkaConsumer<String, ClassifiedItem> consumer =
          new KafkaConsumer<>(
              consumerProps,
              new StringDeserializer(),
              new SpecificAvroDeserializer<>(registry, ClassifiedItem.class))) {
        consumer.subscribe(Set.of(Topics.NEWS_CLASSIFIED.name()));
        await()
            .alias("the item classified")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  for (final ConsumerRecord<String, ClassifiedItem> r : consumer.poll(Duration.ofMillis(200))) {
                    classified.add(r.value());
                  }
                  return !classified.isEmpty();
                });
      }
      assertThat(classified.get(0).getItem().getId()).isEqualTo("run-1");
      assertThat(classified.get(0).getLabels()).hasSize(1);
      await()
          .alias("a status line counting the item")
          .atMost(Duration.ofSeconds(30))
          .until(() -> lines.stream().anyMatch(l -> l.contains("Items 1, classified 1")));

      final String ops =
          lines.stream()
              .filter(l -> l.startsWith("Ops server at "))
              .findFirst()
              .orElseThrow()
              .replaceAll("^Ops server at (http://[^:]+:\\d+):.*$", "$1");
      final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      final java.util.function.Function<String, java.net.http.HttpResponse<String>> get =
          path -> {
            try {
              return http.send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(ops + path)).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (final Exception e) {
              throw new IllegalStateException(e);
            }
          };
      assertThat(get.apply("/health").statusCode()).isEqualTo(200);
      assertThat(get.apply("/health/ready").body()).contains("\"ready\":true").contains("RUNNING");
      await()
          .alias("the pipeline's group in /api/lag")
          .atMost(Duration.ofSeconds(30))
          .until(() -> get.apply("/api/lag").body().contains("\"group\":\"run-it\""));
      await()
          .alias("the pipeline's lag per partition in /metrics")
          .atMost(Duration.ofSeconds(30))
          .until(() -> get.apply("/metrics").body().contains("outpost_consumer_lag_records{group=\"run-it\""));
      final String metrics = get.apply("/metrics").body();
      // Prometheus text format: comments, or a metric name, optional labels, and a number.
      assertThat(metrics.lines().filter(l -> !l.isBlank() && !l.startsWith("#")))
          .isNotEmpty()
          .allSatisfy(
              l -> assertThat(l).matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*\\})? [-+]?([0-9.]+([eE][-+]?[0-9]+)?|NaN|\\+?Inf)"));
      assertThat(metrics)
          .contains("outpost_alerts_total{category=\"military_exercise\"} 1.0")
          .contains("outpost_classified_total 1.0")
          .contains("outpost_dead_letters_total{reason=\"wrong_magic_byte\"} 0.0")
          .contains("outpost_classification_seconds_count 1\n")
          .contains("outpost_consumer_lag_records{group=\"run-it\"")
          .contains("outpost_consumer_lag_status{group=\"run-it\"}")
          .contains("kafka_stream_");

      assertThat(run.terminate()).as("exited after SIGTERM").isTrue();
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("Stopping the pipeline"));
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("NOT_RUNNING"));
      assertThat(lines).noneSatisfy(l -> assertThat(l).contains("Exception"));
    } finally {
      run.close();
    }
  }
}
