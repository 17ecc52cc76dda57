package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.EvidenceSpan;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import dev.outpost.topology.DeadLetters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outpost ops}, the ops server on its own, started against a cluster where dead letters and
 * alerts already exist, written by no process of its own: it serves the dead letters by reason
 * and the last alerts, newest first, with their links and evidence, as the dashboard shows them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OpsCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void servesTheDeadLettersByReasonAndTheLastAlertsThatExistedBeforeItStarted() throws Exception {
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start()) {
      // given: four dead letters of three reasons, and two alerts, before the ops server starts
      stack.cluster().createTopics(List.of(Topics.NEWS_ITEMS_DLQ, Topics.ALERTS_PARADE, Topics.ALERTS_TROOP_DISPATCH), (short) 1);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(stack.kafkaProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
        for (final String reason : List.of("title_too_large", "title_too_large", "malformed_body", "missing_field")) {
          final RecordHeaders headers = new RecordHeaders();
          headers.add(DeadLetters.REASON, reason.getBytes(StandardCharsets.UTF_8));
          producer.send(new ProducerRecord<>(Topics.NEWS_ITEMS_DLQ.name(), null, "key".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8), headers)).get();
        }
        // and a record on an alert topic that is no alert at all
        producer.send(new ProducerRecord<>(Topics.ALERTS_PARADE.name(), "bad".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8))).get();
      }
      try (SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
          SpecificAvroSerializer<Alert> values = new SpecificAvroSerializer<>(registry)) {
        values.configure(Map.of(), false);
        try (KafkaProducer<String, Alert> producer = new KafkaProducer<>(stack.kafkaProperties(), new StringSerializer(), values)) {
          producer.send(new ProducerRecord<>(Topics.ALERTS_PARADE.name(), "old", alert("old", Category.PARADE, "Tanks roll past the square", "2026-11-27T08:00:00Z"))).get();
          producer.send(new ProducerRecord<>(Topics.ALERTS_TROOP_DISPATCH.name(), "new", alert("new", Category.TROOP_DISPATCH, "Troops sent to the border", "2026-11-28T08:00:00Z"))).get();
        }
      }

      // when
      try (OutpostProcess ops =
          OutpostProcess.start(
              "ops", "--ops-port", "0", "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl())) {
        final String url = ops.awaitLine("Ops server at ", Duration.ofSeconds(60)).replaceAll("^.*Ops server at (http://[^:]+:\\d+):.*$", "$1");
        final HttpClient http = HttpClient.newHttpClient();

        // then: the dead letters by reason, from the topic
        await()
            .alias("the dead letters counted from the topic")
            .atMost(Duration.ofSeconds(30))
            .until(() -> get(http, url + "/api/dead-letters").path("read").asBoolean());
        final JsonNode deadLetters = get(http, url + "/api/dead-letters");
        assertThat(deadLetters.get("total").asLong()).isEqualTo(4);
        assertThat(deadLetters.get("byReason"))
            .isEqualTo(JSON.valueToTree(Map.of("malformed_body", 1, "missing_field", 1, "title_too_large", 2)));

        // and the alerts, newest first, with link and evidence; the record no alert is counted, not shown
        final JsonNode recent = get(http, url + "/api/recent");
        assertThat(recent.get("unreadable").asInt()).isEqualTo(1);
        final JsonNode alerts = recent.get("alerts");
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(0).get("title").asText()).isEqualTo("Troops sent to the border");
        assertThat(alerts.get(0).get("url").asText()).isEqualTo("https://news.example/new");
        assertThat(alerts.get(0).get("evidence").get(0).get("text").asText()).isEqualTo("sent");
        assertThat(alerts.get(1).get("category").asText()).isEqualTo("PARADE");
        assertThat(get(http, url + "/api/recent?limit=1").get("alerts")).hasSize(1);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/api/recent?limit=0")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
            .isEqualTo(400);
        ops.terminate();
      }
    }
  }

  private static Alert alert(final String id, final Category category, final String title, final String classifiedAt) {
    final Instant at = Instant.parse(classifiedAt);
    return Alert.newBuilder()
        .setAlertId(id + "#" + category)
        .setItemId(id)
        .setCategory(category)
        .setConfidence(0.9)
        .setActors(List.of("CHN"))
        .setEvidence(
            List.of(
                EvidenceSpan.newBuilder()
                    .setField("title")
                    .setStart(7)
                    .setEnd(11)
                    .setText("sent")
                    .setRuleId("rule-1")
                    .build()))
        .setTitle(title)
        .setUrl("https://news.example/" + id)
        .setSource("Example News")
        .setPublishedAt(at)
        .setClassifiedAt(at)
        .setClassifierVersion("v")
        .build();
  }

  private static JsonNode get(final HttpClient http, final String url) throws Exception {
    return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
  }
}
