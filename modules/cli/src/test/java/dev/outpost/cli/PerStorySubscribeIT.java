package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outpost subscribe --per-story} and {@code subscriptions add --per-story} on a real broker:
 * alerts written as the pipeline writes them once it tells stories apart, straight to an alert
 * topic, spread over its partitions.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PerStorySubscribeIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static EmbeddedStack stack;

  /** Every alert's id, in the order written: story A's 12, story B's 3, and one without a story. */
  private static final List<String> ALL = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start();
    try (SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
        SpecificAvroSerializer<Alert> values = new SpecificAvroSerializer<>(registry)) {
      values.configure(Map.of(), false);
      try (KafkaProducer<String, Alert> producer =
          new KafkaProducer<>(stack.kafkaProperties(), new StringSerializer(), values)) {
        for (int n = 1; n <= 12; n++) {
          send(producer, "a" + n, "3f2a9c1e77d0-story-a", n, Math.min(n, 5));
        }
        for (int n = 1; n <= 3; n++) {
          send(producer, "b" + n, "9c41b2d05e6a-story-b", n, n);
        }
        send(producer, "alone", null, 0, 0);
      }
    }
  }

  /** Each alert keyed by its own item, as the pipeline keys them, so a story spans partitions. */
  private static void send(
      final KafkaProducer<String, Alert> producer,
      final String item,
      final String storyId,
      final int storyItems,
      final int storySources)
      throws Exception {
    final Alert alert =
        Alert.newBuilder()
            .setAlertId(item + "#parade")
            .setItemId(item)
            .setCategory(Category.PARADE)
            .setConfidence(0.9)
            .setActors(List.of("PRK"))
            .setEvidence(List.of())
            .setTitle("Parade report " + item)
            .setSource("outlet-" + storySources)
            .setClassifiedAt(Instant.now())
            .setClassifierVersion("v")
            .setStoryId(storyId)
            .setStoryItems(storyItems)
            .setStorySources(storySources)
            .build();
    producer.send(new ProducerRecord<>(Topics.ALERTS_PARADE.name(), item, alert)).get();
    ALL.add(alert.getAlertId());
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static CliRunner.Result run(final String... args) {
    final List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl()));
    return CliRunner.run(all.toArray(String[]::new));
  }

  /** Subscribes from the earliest alert until none has come for 3 s; returns what it printed. */
  private static List<String> subscribe(final String... more) throws IOException {
    final List<String> args =
        new ArrayList<>(List.of("subscribe", "--from", "earliest", "--idle-timeout", "3s"));
    args.addAll(List.of(more));
    final CliRunner.Result result = run(args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.err()).isZero();
    final List<String> ids = new ArrayList<>();
    for (final String line : result.out().split("\n", -1)) {
      if (!line.isBlank()) {
        final JsonNode alert = JSON.readTree(line);
        ids.add(alert.get("alertId").asText());
      }
    }
    return ids;
  }

  @Test
  void perStoryEachStorysFirstAlertAndMilestonesArePrintedAndEveryAlertWithoutAStory() throws IOException {
    assertThat(subscribe("--group", "per-story", "--per-story"))
        .containsExactlyInAnyOrder("a1#parade", "a5#parade", "a10#parade", "b1#parade", "alone#parade");
  }

  @Test
  void withoutPerStoryEveryAlertIsPrinted() throws IOException {
    assertThat(subscribe("--group", "every")).hasSize(16).containsExactlyInAnyOrderElementsOf(ALL);
  }

  @Test
  void perStoryTheTextFormatShowsTheStoryOfEachAlertThatHasOne() {
    final CliRunner.Result result =
        run("subscribe", "--from", "earliest", "--idle-timeout", "3s", "--group", "text", "--per-story", "--format", "text");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines().filter(l -> l.contains("item ")))
        .containsExactlyInAnyOrder(
            "      item a1  actors PRK  story 3f2a9c1e \u00b7 1 report from 1 source",
            "      item a5  actors PRK  story 3f2a9c1e \u00b7 5 reports from 5 sources",
            "      item a10  actors PRK  story 3f2a9c1e \u00b7 10 reports from 5 sources",
            "      item b1  actors PRK  story 9c41b2d0 \u00b7 1 report from 1 source",
            "      item alone  actors PRK");
  }

  @Test
  void aPerStorySubscriptionIsStoredAndListedAsSuch() {
    final CliRunner.Result added =
        run("subscriptions", "add", "--id", "digest", "--topic", "digest.alerts", "--category", "parade", "--per-story");
    final CliRunner.Result every = run("subscriptions", "add", "--id", "every", "--topic", "every.alerts");

    assertThat(added.exitCode()).as(added.err()).isZero();
    assertThat(added.out()).contains("Added digest  topic digest.alerts  categories=parade  per-story  enabled");
    assertThat(every.exitCode()).as(every.err()).isZero();
    final CliRunner.Result listed = run("subscriptions", "list");
    final CliRunner.Result json = run("subscriptions", "list", "--json");
    assertThat(listed.out().lines())
        .contains("digest  topic digest.alerts  categories=parade  per-story  enabled", "every  topic every.alerts  categories=all  enabled");
    assertThat(json.out().lines().filter(l -> l.contains("\"id\":\"digest\"")))
        .singleElement()
        .satisfies(l -> assertThat(l).contains("\"perStory\":true"));
    assertThat(json.out().lines().filter(l -> l.contains("\"id\":\"every\"")))
        .singleElement()
        .satisfies(l -> assertThat(l).contains("\"perStory\":false"));
  }
}
