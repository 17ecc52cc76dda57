package dev.outpost.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code _schemas} topic as a Confluent registry writes it, built here record by record from
 * Confluent's documented record format (its {@code SchemaKey}/{@code SchemaValue}, {@code
 * ConfigKey}/{@code ConfigValue}, {@code ModeKey}/{@code ModeValue}, {@code DeleteSubjectKey}/{@code
 * DeleteSubjectValue}, {@code ClearSubjectKey}/{@code ClearSubjectValue} and {@code NOOP} keys,
 * with tombstones for permanent deletes): a registry started on it through {@link
 * KafkaSchemaStore} serves the subjects, versions and ids a Confluent registry would, and what it
 * writes there itself is in the same format.
 */
class ConfluentTopicTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String V3 =
      Schemas.alert(Schemas.A_INT, Schemas.B_STRING_DEFAULT, "{\"name\":\"c\",\"type\":\"long\",\"default\":0}");

  private final FakeTopic topic = new FakeTopic();
  private KafkaSchemaStore store;
  private RegistryServer server;
  private RegistryHttp http;

  @BeforeEach
  void start() {
    // Written in the order a Confluent registry would have written them.
    write(key("NOOP", null), null);
    // An older Confluent wrote "subject":null in the global config key; a newer one leaves it out.
    write(key("CONFIG", null).putNull("subject"), value(null).put("compatibilityLevel", "FULL"));
    write(key("CONFIG", null), value(null).put("compatibilityLevel", "NONE"));
    write(schemaKey("alerts-value", 1), schemaValue("alerts-value", 1, 1, Schemas.V1, false));
    write(schemaKey("alerts-value", 2), schemaValue("alerts-value", 2, 2, Schemas.V2, false));
    write(schemaKey("alerts-value", 3), schemaValue("alerts-value", 3, 3, V3, false));
    // A soft delete of one version: the schema record again, with "deleted": true.
    write(schemaKey("alerts-value", 3), schemaValue("alerts-value", 3, 3, V3, true));
    write(
        key("CONFIG", "alerts-value"),
        value("alerts-value").put("compatibilityLevel", "BACKWARD_TRANSITIVE"));
    write(schemaKey("news-value", 1), schemaValue("news-value", 1, 4, "\"string\"", false));
    write(schemaKey("news-value", 2), schemaValue("news-value", 2, 5, "\"bytes\"", false));
    // A soft delete of a subject: one DELETE_SUBJECT record up to its last version.
    write(key("DELETE_SUBJECT", "news-value"), value("news-value").put("version", 2));
    write(schemaKey("gone-value", 1), schemaValue("gone-value", 1, 6, "\"long\"", false));
    write(key("CONFIG", "gone-value"), value("gone-value").put("compatibilityLevel", "FULL"));
    // A permanent delete: soft first, then a tombstone, and the subject's config cleared.
    write(key("DELETE_SUBJECT", "gone-value"), value("gone-value").put("version", 1));
    write(schemaKey("gone-value", 1), null);
    write(key("CONFIG", "gone-value"), null);
    write(schemaKey("shared-value", 1), schemaValue("shared-value", 1, 1, Schemas.V1, false));
    write(key("MODE", null), value(null).put("mode", "READWRITE"));
    write(schemaKey("locked-value", 1), schemaValue("locked-value", 1, 7, "\"int\"", false));
    write(key("MODE", "locked-value"), value("locked-value").put("mode", "READONLY"));
    // Soft-deleted, then forgotten by a CLEAR_SUBJECT (what Confluent writes before IMPORT mode).
    write(schemaKey("purged-value", 1), schemaValue("purged-value", 1, 8, "\"float\"", true));
    write(key("CLEAR_SUBJECT", "purged-value"), value("purged-value"));
    // Tombstones on DELETE_SUBJECT keys are ignored, as Confluent ignores them.
    write(key("DELETE_SUBJECT", "alerts-value"), null);

    store =
        new KafkaSchemaStore(
            FakeTopic.NAME,
            Duration.ofSeconds(5),
            () -> { },
            topic::producer,
            topic::consumer,
            "confluent topic");
    server = RegistryServer.builder().store(store).build();
    server.start();
    http = new RegistryHttp(server.url());
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  @Test
  void servesTheSubjectsAConfluentRegistryWould() {
    assertThat(http.get("/subjects").body().toString())
        .isEqualTo("[\"alerts-value\",\"locked-value\",\"shared-value\"]");
    assertThat(http.get("/subjects?deleted=true").body().toString())
        .isEqualTo("[\"alerts-value\",\"locked-value\",\"news-value\",\"shared-value\"]");
    assertThat(http.get("/subjects?deletedOnly=true").body().toString())
        .isEqualTo("[\"news-value\"]");
  }

  @Test
  void servesTheSameVersionsAndIds() {
    assertThat(http.get("/subjects/alerts-value/versions").body().toString()).isEqualTo("[1,2]");
    assertThat(http.get("/subjects/alerts-value/versions?deleted=true").body().toString())
        .isEqualTo("[1,2,3]");
    assertThat(http.get("/subjects/alerts-value/versions/latest").body().get("id").asInt())
        .isEqualTo(2);
    assertThat(http.get("/subjects/alerts-value/versions/3?deleted=true").body().get("id").asInt())
        .isEqualTo(3);
    assertThat(http.get("/subjects/shared-value/versions/1").body().get("id").asInt()).isEqualTo(1);
    assertThat(http.get("/subjects/news-value/versions").errorCode()).isEqualTo(40401);
    assertThat(http.get("/subjects/news-value/versions?deleted=true").body().toString())
        .isEqualTo("[1,2]");
    assertThat(http.get("/subjects/gone-value/versions?deleted=true").errorCode()).isEqualTo(40401);
    assertThat(http.get("/subjects/purged-value/versions?deleted=true").errorCode())
        .isEqualTo(40401);
  }

  @Test
  void softDeletedIdsResolveAndPermanentlyDeletedOnesDoNot() {
    for (final int id : List.of(1, 2, 3, 4, 5, 7)) {
      assertThat(http.get("/schemas/ids/" + id).status()).as("id " + id).isEqualTo(200);
    }
    assertThat(http.get("/schemas/ids/5").body().get("schema").asText()).isEqualTo("\"bytes\"");
    for (final int id : List.of(6, 8)) {
      assertThat(http.get("/schemas/ids/" + id).errorCode()).as("id " + id).isEqualTo(40403);
    }
    assertThat(http.register("fresh-value", "\"double\"")).as("no id is handed out twice").isEqualTo(9);
  }

  @Test
  void configsAndModesAreThoseTheTopicLeft() {
    assertThat(http.get("/config").body().get("compatibilityLevel").asText()).isEqualTo("NONE");
    assertThat(http.get("/config/alerts-value").body().get("compatibilityLevel").asText())
        .isEqualTo("BACKWARD_TRANSITIVE");
    assertThat(http.get("/config/gone-value").errorCode()).isEqualTo(40408);
    // locked-value is READONLY: it cannot be deleted; the others can.
    assertThat(http.method("DELETE", "/subjects/locked-value").errorCode()).isEqualTo(42205);
    assertThat(http.method("DELETE", "/subjects/shared-value").status()).isEqualTo(200);
  }

  @Test
  void theRegistrysOwnDeletesAreWrittenInConfluentsFormat() {
    final int before = topic.records().size();

    assertThat(http.method("DELETE", "/subjects/alerts-value/versions/2").body().asInt())
        .isEqualTo(2);
    assertThat(http.method("DELETE", "/subjects/shared-value").body().toString()).isEqualTo("[1]");
    assertThat(http.method("DELETE", "/subjects/news-value?permanent=true").body().toString())
        .isEqualTo("[1,2]");

    final List<ConsumerRecord<byte[], byte[]>> written =
        topic.records().subList(before, topic.records().size());
    assertThat(written).hasSize(4);
    assertThat(tree(written.get(0).key())).isEqualTo(schemaKey("alerts-value", 2));
    final JsonNode soft = tree(written.get(0).value());
    assertThat(soft.get("deleted").asBoolean()).isTrue();
    assertThat(soft.get("id").asInt()).isEqualTo(2);
    assertThat(soft.get("version").asInt()).isEqualTo(2);
    assertThat(soft.get("subject").asText()).isEqualTo("alerts-value");
    assertThat(tree(written.get(1).key())).isEqualTo(key("DELETE_SUBJECT", "shared-value"));
    assertThat(tree(written.get(1).value()))
        .isEqualTo(value("shared-value").put("version", 1));
    assertThat(tree(written.get(2).key())).isEqualTo(schemaKey("news-value", 2));
    assertThat(written.get(2).value()).isNull();
    assertThat(tree(written.get(3).key())).isEqualTo(schemaKey("news-value", 1));
    assertThat(written.get(3).value()).isNull();
  }

  // Confluent's records, from its documented layout.

  private static ObjectNode key(
      final String keytype, final String subject) {
    final ObjectNode key = JSON.createObjectNode();
    key.put("keytype", keytype);
    if (subject != null) {
      key.put("subject", subject);
    }
    key.put("magic", 0);
    return key;
  }

  private static ObjectNode schemaKey(
      final String subject, final int version) {
    return JSON.createObjectNode()
        .put("keytype", "SCHEMA")
        .put("subject", subject)
        .put("version", version)
        .put("magic", 1);
  }

  private static ObjectNode value(final String subject) {
    final ObjectNode value = JSON.createObjectNode();
    if (subject != null) {
      value.put("subject", subject);
    }
    return value;
  }

  private static ObjectNode schemaValue(
      final String subject,
      final int version,
      final int id,
      final String schema,
      final boolean deleted) {
    final Map<String, Object> value = new LinkedHashMap<>();
    value.put("subject", subject);
    value.put("version", version);
    value.put("id", id);
    value.put("schemaType", "AVRO");
    value.put("schema", schema);
    value.put("deleted", deleted);
    return JSON.valueToTree(value);
  }

  private void write(final JsonNode key, final JsonNode value) {
    topic.write(bytes(key), value == null ? null : bytes(value));
  }

  private static byte[] bytes(final JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (final JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode tree(final byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
