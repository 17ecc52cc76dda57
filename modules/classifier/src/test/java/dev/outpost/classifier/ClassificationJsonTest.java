package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The JSON an item is read from and its classification written as, field by field. */
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
    assertThat(span.get("ruleId").asText()).isNotBlank();
    assertThat(json.get("classifierVersion").asText()).isEqualTo(c.classifierVersion());
    assertThat(json.get("language").asText()).isEqualTo(c.language());
    assertThat(json.get("languageSupported").asBoolean()).isTrue();
  }

  @Test
  void anItemInALanguageNotReadHasNoLabelsAndSaysSo() {
    final Classification c = CLASSIFIER.classify("", "Il governo ha inviato truppe al confine.", "it");

    final ObjectNode json = ClassificationJson.toJson("item-2", c);

    assertThat(json.get("labels")).isEmpty();
    assertThat(json.get("evidence")).isEmpty();
    assertThat(json.get("language").asText()).isEqualTo("it");
    assertThat(json.get("languageSupported").asBoolean()).isFalse();
  }

  @Test
  void anItemIsReadWithTextBeforeBodyAndItsDeclaredLanguage() {
    assertThat(ClassificationJson.item("{\"id\":\"1\",\"title\":\"Drills\",\"text\":\"t\",\"body\":\"b\",\"language\":\"it\"}"))
        .isEqualTo(new ClassificationJson.Item("1", "Drills", "t", "it"));
    assertThat(ClassificationJson.item("{\"id\":\"2\",\"body\":\"b\"}")).isEqualTo(new ClassificationJson.Item("2", "", "b", null));
    assertThat(ClassificationJson.item("{\"id\":\"3\",\"title\":\"The navy began live-fire drills near Taiwan.\"}").classify(CLASSIFIER).language()).isEqualTo("en");
    assertThat(ClassificationJson.item("{\"id\":\"4\",\"title\":\"Drills\",\"language\":\"it\"}").classify(CLASSIFIER).languageSupported())
        .isFalse();
  }

  @Test
  void aBadItemIsRefusedSayingWhatIsWrong() {
    assertThatThrownBy(() -> ClassificationJson.item("not json")).hasMessage("not a JSON object");
    assertThatThrownBy(() -> ClassificationJson.item("[1]")).hasMessage("not a JSON object");
    assertThatThrownBy(() -> ClassificationJson.item("{\"id\":\" \",\"title\":\"t\"}")).hasMessage("missing field 'id'");
    assertThatThrownBy(() -> ClassificationJson.item("{\"id\":\"1\",\"language\":\"en\"}")).hasMessage("needs a 'title', 'text' or 'body'");
    assertThatThrownBy(() -> ClassificationJson.item("{\"id\":\"1\",\"title\":7}")).hasMessage("field 'title' must be a string");
  }
}
