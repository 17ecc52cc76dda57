package dev.outpost.classifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The JSON shapes of {@code outpost classify}: the item it reads, and the classification it
 * writes, the result with its evidence spans, for tools that read the classifier's output without
 * Kafka or Avro.
 */
public final class ClassificationJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClassificationJson() {}

  /**
   * An item to classify.
   *
   * @param id its id
   * @param title its title; "" when it has none
   * @param body its text, else its body; "" when it has neither
   * @param language the language its publisher declared, a BCP 47 tag; null when it does not say
   */
  public record Item(String id, String title, String body, String language) {

    /**
     * @param classifier the classifier
     * @return this item's classification, in its declared language if it has one
     */
    public Classification classify(final Classifier classifier) {
      return classifier.classify(title, body, language);
    }
  }

  /**
   * Reads one line of JSON Lines input: an object with an {@code id}, a {@code title}, {@code
   * text} or {@code body}, and optionally a {@code language}, all strings.
   *
   * @param line the line, not blank
   * @return the item
   * @throws IllegalArgumentException saying what is wrong with the line: "not a JSON object",
   *     "missing field 'id'", "needs a 'title', 'text' or 'body'" or "field 'title' must be a
   *     string"
   */
  public static Item item(final String line) {
    final JsonNode item;
    try {
      item = JSON.readTree(line);
    } catch (final JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON object", e);
    }
    if (item == null || !item.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    if (!item.hasNonNull("id") || item.get("id").asText().isBlank()) {
      throw new IllegalArgumentException("missing field 'id'");
    }
    if (!item.hasNonNull("title") && !item.hasNonNull("text") && !item.hasNonNull("body")) {
      throw new IllegalArgumentException("needs a 'title', 'text' or 'body'");
    }
    for (final String field : List.of("title", "text", "body", "language")) {
      if (item.hasNonNull(field) && !item.get(field).isTextual()) {
        throw new IllegalArgumentException("field '" + field + "' must be a string");
      }
    }
    final String body = item.has("text") ? item.get("text").asText() : item.path("body").asText("");
    return new Item(item.get("id").asText(), item.path("title").asText(""), body, item.path("language").asText(null));
  }

  /**
   * @param id the item's id
   * @param c its classification
   * @return {@code {id, labels, confidence, evidence, actors, classifierVersion, language,
   *     languageSupported}}
   */
  public static ObjectNode toJson(final String id, final Classification c) {
    final ObjectNode node = NODES.objectNode();
    node.put("id", id);
    final ArrayNode labels = node.putArray("labels");
    c.labels().forEach(l -> labels.add(l.label()));
    final ObjectNode confidence = node.putObject("confidence");
    final ArrayNode evidence = node.putArray("evidence");
    for (final Category category : Category.values()) {
      final CategoryResult r = c.result(category);
      confidence.put(category.label(), r.confidence());
      for (final Evidence e : r.evidence()) {
        final ObjectNode span = evidence.addObject();
        span.put("category", category.label());
        span.put("field", e.field());
        span.put("start", e.start());
        span.put("end", e.end());
        span.put("text", e.text());
        span.put("ruleId", e.ruleId());
        final ArrayNode states = span.putArray("states");
        e.states().forEach(states::add);
        final ArrayNode targets = span.putArray("targets");
        e.targets().forEach(targets::add);
      }
    }
    final ArrayNode actors = node.putArray("actors");
    c.actors().forEach(actors::add);
    node.put("classifierVersion", c.classifierVersion());
    node.put("language", c.language());
    node.put("languageSupported", c.languageSupported());
    return node;
  }
}
