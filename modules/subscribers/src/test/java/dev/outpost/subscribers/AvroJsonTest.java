package dev.outpost.subscribers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.EvidenceSpan;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

  @Test
  void rendersPlainJsonWithoutUnionWrappers() {
    final Alert alert =
        Alert.newBuilder()
            .setAlertId("a-1")
            .setItemId("i-1")
            .setCategory(Category.PARADE)
            .setConfidence(0.75)
            .setActors(List.of("CHN", "RUS"))
            .setEvidence(List.of(new EvidenceSpan("title", 0, 6, "parade", "parade.military", List.of(), List.of())))
            .setTitle("A parade")
            .setUrl(null)
            .setSource("wire")
            .setPublishedAt(Instant.parse("2025-09-03T01:00:00Z"))
            .setClassifiedAt(Instant.parse("2025-09-03T01:00:01Z"))
            .setClassifierVersion("test")
            .build();

    final JsonNode json = AvroJson.toJson(alert);

    assertThat(json.get("category").asText()).isEqualTo("PARADE");
    assertThat(json.get("confidence").asDouble()).isEqualTo(0.75);
    assertThat(json.get("actors").get(1).asText()).isEqualTo("RUS");
    assertThat(json.get("evidence").get(0).get("ruleId").asText()).isEqualTo("parade.military");
    assertThat(json.get("url").isNull()).isTrue();
    assertThat(json.get("publishedAt").asText()).isEqualTo("2025-09-03T01:00:00Z");
    assertThat(AvroJson.toJsonLine(alert)).doesNotContain("\"string\"").doesNotContain("\n");
  }

  @Test
  void arraysAsAvroReadThemAreJsonArrays() {
    final dev.outpost.registry.InMemorySchemaRegistryClient registry = new dev.outpost.registry.InMemorySchemaRegistryClient();
    final Alert written =
        Alert.newBuilder()
            .setAlertId("a#parade")
            .setItemId("a")
            .setCategory(Category.PARADE)
            .setConfidence(0.5)
            .setActors(List.of("CHN", "RUS"))
            .setEvidence(
                List.of(EvidenceSpan.newBuilder().setField("title").setStart(0).setEnd(6).setText("parade").setRuleId("r").build()))
            .setTitle("t")
            .setSource("s")
            .setClassifiedAt(Instant.EPOCH)
            .setClassifierVersion("v")
            .build();
    final byte[] bytes = new dev.outpost.registry.serde.SpecificAvroSerializer<Alert>(registry).serialize("alerts.parade.v1", written);
    final Alert read = new dev.outpost.registry.serde.SpecificAvroDeserializer<>(registry, Alert.class).deserialize("alerts.parade.v1", bytes);

    final JsonNode json = AvroJson.toJson(read);

    assertThat(json.get("actors").isArray()).isTrue();
    assertThat(json.get("actors").get(0).asText()).isEqualTo("CHN");
    assertThat(json.get("evidence").isArray()).isTrue();
    assertThat(json.get("evidence").get(0).get("text").asText()).isEqualTo("parade");
  }
}
