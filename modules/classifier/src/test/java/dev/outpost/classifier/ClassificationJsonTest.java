package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The JSON a classification is written as, field by field. */
class ClassificationJsonTest {

  private static final Classifier CLASSIFIER = Classifier.withDefaultRules();

  @Test
  void aLabelIsWrittenWithItsConfidenceAndEvidence() {
    final Classification c = CLASSIFIER.classify("", "The government sent 2,000 troops to the northern border region.");

    final ObjectNode json = ClassificationJson.toJson("item-1", c);

    assertThat(json.get("id").asText()).isEqualTo("item-1");
    assertThat(json.get("labels")).hasSize(1);
    assertThat(json.get("labels").get(0).asText()).isEqualTo(Category.TROOP_DISPATCH.label());
    for (final Category category : Category.values()) {
      assertThat(json.get("confidence").get(category.label()).asDouble()).isEqualTo(c.result(category).confidence());
    }
    assertThat(json.get("evidence")).isNotEmpty();
    final JsonNode span = json.get("evidence").get(0);
    assertThat(span.get("category").asText()).isEqualTo(Category.TROOP_DISPATCH.label());
    assertThat(span.get("field").asText()).isEqualTo("body");
    assertThat(span.get("end").asInt()).isGreaterThan(span.get("start").asInt());
    assertThat(span.get("text").asText()).isNotBlank();
    assertThat(span.get("rule").asText()).isNotBlank();
    assertThat(json.get("classifier_version").asText()).isEqualTo(c.classifierVersion());
    assertThat(json.get("language").asText()).isEqualTo(c.language());
    assertThat(json.get("language_supported").asBoolean()).isTrue();
  }

  @Test
  void anItemInALanguageNotReadHasNoLabelsAndSaysSo() {
    final Classification c = CLASSIFIER.classify("", "Il governo ha inviato truppe al confine.", "it");

    final ObjectNode json = ClassificationJson.toJson("item-2", c);

    assertThat(json.get("labels")).isEmpty();
    assertThat(json.get("evidence")).isEmpty();
    assertThat(json.get("language").asText()).isEqualTo("it");
    assertThat(json.get("language_supported").asBoolean()).isFalse();
  }
}
