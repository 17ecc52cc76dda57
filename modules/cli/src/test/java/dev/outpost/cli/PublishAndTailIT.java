package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code outpost publish} and {@code outpost tail} against a running cluster and registry. */
class PublishAndTailIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static EmbeddedStack stack;

  @TempDir Path dir;

  @BeforeAll
  static void startStack() {
    stack = EmbeddedStack.builder().build().start();
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  private static List<JsonNode> jsonLines(final String out) throws IOException {
    final List<JsonNode> nodes = new ArrayList<>();
    for (final String line : out.split("\n", -1)) {
      if (!line.isBlank()) {
        nodes.add(JSON.readTree(line));
      }
    }
    return nodes;
  }

  @Test
  void publishedItemsComeBackDecodedFromTail() throws IOException {
    final Path file = dir.resolve("items.jsonl");
    Files.writeString(
        file,
        "{\"id\":\"it-1\",\"title\":\"Joint naval drills begin\",\"publishedAt\":\"2025-09-01T00:00:00Z\"}\n"
            + "{\"id\":\"it-2\",\"title\":\"Envoy summoned\",\"url\":\"https://example.test/2\"}\n"
            + "{\"id\":\"it-3\",\"title\":\"Parade rehearsal\",\"language\":\"en\"}\n",
        StandardCharsets.UTF_8);
    // Configuration from the environment, as a deployment would set it.
    final Map<String, String> env =
        Map.of(
            "OUTPOST_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
            "OUTPOST_SCHEMA_REGISTRY_URL", stack.registryUrl());

    final CliRunner.Result published = CliRunner.run(env, "publish", "--input", file.toString(), "--source", "it");
    final CliRunner.Result tailed =
        CliRunner.run(
            env, "tail", Topics.NEWS_ITEMS.name(), "--from-beginning", "--max-messages", "3", "--idle-timeout", "30s");

    assertThat(published.exitCode()).as(published.err()).isZero();
    assertThat(published.out()).contains("Published 3 item(s)").contains(Topics.NEWS_ITEMS.name());
    assertThat(tailed.exitCode()).as(tailed.err()).isZero();
    final List<JsonNode> items = jsonLines(tailed.out());
    assertThat(items).extracting(n -> n.get("id").asText()).containsExactlyInAnyOrder("it-1", "it-2", "it-3");
    assertThat(items)
        .filteredOn(n -> n.get("id").asText().equals("it-1"))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.get("source").asText()).isEqualTo("it");
              assertThat(n.get("publishedAt").asText()).isEqualTo("2025-09-01T00:00:00Z");
              assertThat(n.get("ingestedAt").asText()).isEqualTo("2026-11-28T10:00:00Z");
            });
  }

  @Test
  void tailReportsARecordItCannotDecodeAndGoesOn() throws Exception {
    final String topic = Topics.NEWS_CLASSIFIED.name();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", stack.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      // Not the Confluent wire format: magic byte 0x7B ('{').
      producer
          .send(new ProducerRecord<>(topic, 0, null, "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
    }

    final CliRunner.Result tailed =
        CliRunner.run(
            "tail",
            topic,
            "--from-beginning",
            "--max-messages",
            "1",
            "--idle-timeout",
            "30s",
            "--bootstrap-servers",
            stack.bootstrapServers(),
            "--schema-registry-url",
            stack.registryUrl());

    assertThat(tailed.exitCode()).as(tailed.err()).isZero();
    assertThat(tailed.err())
        .contains("Cannot decode " + topic + " partition 0 offset 0")
        .containsIgnoringCase("magic byte");
    assertThat(tailed.out()).isEmpty();
  }

  @Test
  void deadLetterTopicIsShownWithHeadersAndBytes() throws Exception {
    final String topic = Topics.NEWS_ITEMS_DLQ.name();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", stack.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      final ProducerRecord<byte[], byte[]> record =
          new ProducerRecord<>(topic, 0, "k".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
      record.headers().add("error.stage", "validate".getBytes(StandardCharsets.UTF_8));
      producer.send(record).get(30, TimeUnit.SECONDS);
    }

    final CliRunner.Result tailed =
        CliRunner.run(
            "tail", topic, "--from-beginning", "-n", "1", "--idle-timeout", "30s",
            "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl());

    assertThat(tailed.exitCode()).as(tailed.err()).isZero();
    final JsonNode shown = jsonLines(tailed.out()).get(0);
    assertThat(shown.get("headers").get("error.stage").asText()).isEqualTo("validate");
    assertThat(shown.get("value").asText()).isEqualTo("AQID");
    assertThat(shown.get("key").asText()).isEqualTo("aw==");
  }

  @Test
  void aTopicOutsideTheCatalogIsShownRawAndAMissingOneIsNamedWithTheCatalogs() throws Exception {
    final String topic = "team.parked.v1";
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
      final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, null, new byte[] {7});
      record.headers().add("delivery.attempts", "3".getBytes(StandardCharsets.UTF_8));
      producer.send(record).get(30, TimeUnit.SECONDS);
    }
    final String[] cluster = {"--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl()};

    final CliRunner.Result tailed = CliRunner.run("tail", topic, "--from-beginning", "-n", "1", "--idle-timeout", "30s", cluster[0], cluster[1], cluster[2], cluster[3]);
    final CliRunner.Result missing = CliRunner.run("tail", "news.itemz", "-n", "1", cluster[0], cluster[1], cluster[2], cluster[3]);

    assertThat(tailed.exitCode()).as(tailed.err()).isZero();
    final JsonNode shown = jsonLines(tailed.out()).get(0);
    assertThat(shown.get("headers").get("delivery.attempts").asText()).isEqualTo("3");
    assertThat(shown.get("value").asText()).isEqualTo("Bw==");
    assertThat(missing.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(missing.err()).contains("Unknown topic 'news.itemz'").contains(Topics.NEWS_ITEMS.name());
  }
}
