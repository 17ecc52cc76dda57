package dev.outpost.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.registry.server.RegistryHttp.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * What the read API, references, config deletion and modes change is in the {@code _schemas}
 * records (Confluent's layout, through {@link KafkaSchemaStore} over a {@link FakeTopic}), so a
 * registry started again on the topic serves the same.
 */
class RestartTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static final String LOCATION =
      "{\"type\":\"record\",\"name\":\"Location\",\"namespace\":\"dev.outpost.test\","
          + "\"fields\":[{\"name\":\"city\",\"type\":\"string\"}]}";

  private static final String SIGHTING =
      "{\"type\":\"record\",\"name\":\"Sighting\",\"namespace\":\"dev.outpost.test\","
          + "\"fields\":[{\"name\":\"where\",\"type\":\"dev.outpost.test.Location\"}]}";

  private static final List<Map<String, Object>> LOCATION_V1 =
      List.of(Map.of("name", "dev.outpost.test.Location", "subject", "location", "version", 1));

  private final FakeTopic topic = new FakeTopic();

  /** Runs {@code calls} against a registry started on the topic, then stops it. */
  private void withRegistry(final Consumer<RegistryHttp> calls) {
    try (KafkaSchemaStore store =
            new KafkaSchemaStore(
                FakeTopic.NAME, TIMEOUT, () -> {}, topic::producer, topic::consumer, "restart");
        RegistryServer server = RegistryServer.builder().store(store).build()) {
      server.start();
      calls.accept(new RegistryHttp(server.url()));
    }
  }

  @Test
  void modesReferencesAndConfigDeletionsSurviveARestart() {
    // Given: a registry that registered a reference, set and removed levels and modes
    final int[] sightingId = new int[1];
    withRegistry(
        http -> {
          http.register("location", LOCATION);
          final Reply sighting =
              http.post(
                  "/subjects/sightings-value/versions",
                  RegistryHttp.json(Map.of("schema", SIGHTING, "references", LOCATION_V1)));
          assertThat(sighting.status()).as(sighting.toString()).isEqualTo(200);
          sightingId[0] = sighting.body().get("id").asInt();

          http.setLevel("kept-value", "NONE");
          http.setLevel("dropped-value", "FULL");
          assertThat(http.method("DELETE", "/config/dropped-value").status()).isEqualTo(200);
          assertThat(http.put("/config", "{\"compatibility\":\"NONE\"}").status()).isEqualTo(200);
          assertThat(http.method("DELETE", "/config").status()).isEqualTo(200);

          assertThat(http.put("/mode/frozen-value", "{\"mode\":\"READONLY\"}").status())
              .isEqualTo(200);
          assertThat(http.put("/mode/thawed-value", "{\"mode\":\"READONLY\"}").status())
              .isEqualTo(200);
          assertThat(http.method("DELETE", "/mode/thawed-value").status()).isEqualTo(200);
          assertThat(http.put("/mode", "{\"mode\":\"READONLY\"}").status()).isEqualTo(200);
        });
    // The removals are Kafka tombstones on the config and mode keys, as Confluent writes them
    assertThat(tombstoneKeys())
        .contains(
            "{\"keytype\":\"CONFIG\",\"subject\":\"dropped-value\",\"magic\":0}",
            "{\"keytype\":\"CONFIG\",\"magic\":0}",
            "{\"keytype\":\"MODE\",\"subject\":\"thawed-value\",\"magic\":0}");

    // When: a registry starts again on the topic
    withRegistry(
        http -> {
          // Then: the modes are back, the removed one too
          assertThat(http.get("/mode").body().toString()).isEqualTo("{\"mode\":\"READONLY\"}");
          assertThat(http.get("/mode/frozen-value").body().get("mode").asText())
              .isEqualTo("READONLY");
          assertThat(http.get("/mode/thawed-value").errorCode()).isEqualTo(40409);
          final Reply readOnly = http.method("DELETE", "/subjects/location/versions/1");
          assertThat(readOnly.errorCode()).as(readOnly.toString()).isEqualTo(42205);

          // the levels, the removed ones too (the global one back to the default)
          assertThat(http.get("/config").body().get("compatibilityLevel").asText())
              .isEqualTo("BACKWARD");
          assertThat(http.get("/config/kept-value").body().get("compatibilityLevel").asText())
              .isEqualTo("NONE");
          assertThat(http.get("/config/dropped-value").errorCode()).isEqualTo(40408);

          // and the reference: resolved, listed, and guarding the referenced version
          final Reply version = http.get("/subjects/sightings-value/versions/1");
          assertThat(version.body().get("references").toString())
              .isEqualTo(
                  "[{\"name\":\"dev.outpost.test.Location\",\"subject\":\"location\","
                      + "\"version\":1}]");
          assertThat(http.get("/subjects/location/versions/1/referencedby").body().toString())
              .isEqualTo("[" + sightingId[0] + "]");
          assertThat(http.method("DELETE", "/mode").status()).isEqualTo(200);
          final Reply referenced = http.method("DELETE", "/subjects/location/versions/1");
          assertThat(referenced.errorCode()).as(referenced.toString()).isEqualTo(42206);
        });
  }

  @Test
  void enteringImportWritesTombstonesAClearSubjectAndTheModeAsConfluentDoes() {
    // Given: a subject whose only version was soft-deleted
    final int[] oldId = new int[1];
    withRegistry(
        http -> {
          oldId[0] = http.register("old-value", Schemas.V1);
          assertThat(http.method("DELETE", "/subjects/old-value").status()).isEqualTo(200);
          // When: it enters IMPORT
          assertThat(http.put("/mode/old-value", "{\"mode\":\"IMPORT\"}").status())
              .isEqualTo(200);
        });

    // Then: the topic ends as Confluent's setMode writes it
    final List<ConsumerRecord<byte[], byte[]>> records = topic.records();
    final List<ConsumerRecord<byte[], byte[]>> last =
        records.subList(records.size() - 3, records.size());
    assertThat(text(last.get(0).key()))
        .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"old-value\",\"version\":1,\"magic\":1}");
    assertThat(last.get(0).value()).isNull();
    assertThat(text(last.get(1).key()))
        .isEqualTo("{\"keytype\":\"CLEAR_SUBJECT\",\"subject\":\"old-value\",\"magic\":0}");
    assertThat(text(last.get(1).value())).isEqualTo("{\"subject\":\"old-value\"}");
    assertThat(text(last.get(2).key()))
        .isEqualTo("{\"keytype\":\"MODE\",\"subject\":\"old-value\",\"magic\":0}");
    assertThat(text(last.get(2).value())).isEqualTo("{\"subject\":\"old-value\",\"mode\":\"IMPORT\"}");

    // and a registry started again has no trace of the old version, so an import may take its id
    withRegistry(
        http -> {
          assertThat(http.get("/mode/old-value").body().get("mode").asText()).isEqualTo("IMPORT");
          assertThat(http.get("/subjects/old-value/versions?deleted=true").errorCode())
              .isEqualTo(40401);
          assertThat(http.get("/schemas/ids/" + oldId[0]).errorCode()).isEqualTo(40403);
          final Reply imported =
              http.post(
                  "/subjects/old-value/versions",
                  RegistryHttp.json(Map.of("schema", Schemas.V2, "id", oldId[0], "version", 1)));
          assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
          assertThat(imported.body().get("id").asInt()).isEqualTo(oldId[0]);
        });
  }

  private List<String> tombstoneKeys() {
    return topic.records().stream()
        .filter(record -> record.value() == null)
        .map(record -> text(record.key()))
        .toList();
  }

  private static String text(final byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
