package dev.outpost.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.embedded.EmbeddedKafkaCluster;
import dev.outpost.model.CleanupPolicy;
import dev.outpost.model.TopicSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Dead letters counted from their topics on a real broker, by whoever serves the dashboard: the
 * live topic and a namespace's copy, by reason; committed records only; what is added later
 * counted once; a deleted namespace gone from the counts; and the same counts over HTTP from a
 * process that wrote none of them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeadLetterCountsIT {

  private static final String DLQ = "news.items.dlq.v1";
  private static final String NAMESPACED = "replay-1." + DLQ;
  private static final String OTHER = "news.items.v1";
  private static final String REASON = "outpost.error.reason";
  private static EmbeddedKafkaCluster kafka;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafkaCluster.builder().build().start();
    kafka.createTopics(
        List.of(
            new TopicSpec<>(DLQ, byte[].class, byte[].class, 1, CleanupPolicy.DELETE),
            new TopicSpec<>(NAMESPACED, byte[].class, byte[].class, 1, CleanupPolicy.DELETE),
            new TopicSpec<>(OTHER, byte[].class, byte[].class, 2, CleanupPolicy.DELETE)),
        (short) 1);
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  private static ProducerRecord<byte[], byte[]> deadLetter(final String topic, final String reason) {
    final RecordHeaders headers = new RecordHeaders();
    if (reason != null) {
      headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
    }
    return new ProducerRecord<>(topic, null, "key".getBytes(StandardCharsets.UTF_8), "bad bytes".getBytes(StandardCharsets.UTF_8), headers);
  }

  /** Writes the records in one transaction, committed or aborted, as Kafka Streams under exactly-once does. */
  private static void inTransaction(final boolean commit, final List<ProducerRecord<byte[], byte[]>> records) {
    final Map<String, Object> props = new HashMap<>(kafka.adminConfig());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "dead-letter-counts-it");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      final List<Future<RecordMetadata>> sent = records.stream().map(producer::send).toList();
      if (commit) {
        producer.commitTransaction();
        assertThat(sent).as("every dead letter written").allSatisfy(f -> assertThat(f).isDone());
      } else {
        producer.flush();
        producer.abortTransaction();
      }
    }
  }

  @Test
  void countsByReasonAcrossTheTopicAndItsNamespacesOnceEachAndForgetsADeletedNamespace() throws Exception {
    // given: 3 committed dead letters and an aborted one on the live topic; 2 in a namespace, one
    // without a reason; a record with a reason header on a topic that is not a dead-letter topic
    inTransaction(true, List.of(deadLetter(DLQ, "title_too_large"), deadLetter(DLQ, "title_too_large"), deadLetter(DLQ, "malformed_body")));
    inTransaction(false, List.of(deadLetter(DLQ, "malformed_body")));
    inTransaction(true, List.of(deadLetter(NAMESPACED, "missing_field"), deadLetter(NAMESPACED, null), deadLetter(OTHER, "title_too_large")));

    try (DeadLetterCounts counts = new DeadLetterCounts(kafka.adminConfig(), DLQ, REASON, Clock.systemUTC())) {
      assertThat(counts.snapshot().read()).as("nothing read yet").isFalse();

      // when
      final DeadLetterCounts.Snapshot first = counts.refresh();

      // then
      assertThat(first.read()).isTrue();
      assertThat(first.error()).isNull();
      assertThat(first.byTopic())
          .containsOnlyKeys(DLQ, NAMESPACED)
          .containsEntry(DLQ, Map.of("title_too_large", 2L, "malformed_body", 1L))
          .containsEntry(NAMESPACED, Map.of("missing_field", 1L, DeadLetterCounts.NO_REASON, 1L));
      assertThat(first.byReason()).containsExactlyInAnyOrderEntriesOf(
          Map.of("title_too_large", 2L, "malformed_body", 1L, "missing_field", 1L, DeadLetterCounts.NO_REASON, 1L));
      assertThat(first.total()).isEqualTo(5);

      // when: one more dead letter, then the namespace is deleted
      inTransaction(true, List.of(deadLetter(DLQ, "malformed_body")));
      assertThat(counts.refresh().byTopic().get(DLQ)).as("only the new one added").isEqualTo(Map.of("title_too_large", 2L, "malformed_body", 2L));
      try (Admin admin = kafka.createAdmin()) {
        admin.deleteTopics(Set.of(NAMESPACED)).all().get(30, TimeUnit.SECONDS);
      }

      // then
      await()
          .alias("the deleted namespace gone from the counts")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !counts.refresh().byTopic().containsKey(NAMESPACED));
      assertThat(counts.snapshot().total()).isEqualTo(4);
    }
  }

  @Test
  void anOpsServerThatWroteNoneOfThemServesTheCountsByReason() throws Exception {
    // given: dead letters written before the server starts
    final String topic = "served.dlq.v1";
    kafka.createTopics(List.of(new TopicSpec<>(topic, byte[].class, byte[].class, 1, CleanupPolicy.DELETE)), (short) 1);
    inTransaction(true, List.of(deadLetter(topic, "body_too_large"), deadLetter(topic, "body_too_large"), deadLetter(topic, "empty_record")));

    try (OpsServer server = OpsServer.start("127.0.0.1", 0, false)) {
      // when: a process wired to count them, as 'run', 'demo' and 'ops' are
      final OpsWiring wiring =
          OpsWiring.on(server, kafka.adminConfig(), Clock.systemUTC())
              .readiness(() -> new OpsEndpoints.Readiness(true, "test"))
              .deadLetters(topic, REASON)
              .install();
      try {
        final HttpClient http = HttpClient.newHttpClient();
        final HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + OpsEndpoints.DEAD_LETTERS_PATH)).build();
        final ObjectMapper json = new ObjectMapper();

        // then
        await()
            .alias("the dead letters served by reason")
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  final JsonNode body = json.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
                  assertThat(body.get("read").asBoolean()).isTrue();
                  assertThat(body.get("byReason").get("body_too_large").asLong()).isEqualTo(2);
                  assertThat(body.get("byReason").get("empty_record").asLong()).isEqualTo(1);
                  assertThat(body.get("byTopic").get(topic).get("body_too_large").asLong()).isEqualTo(2);
                });
      } finally {
        wiring.close();
      }
    }
  }
}
