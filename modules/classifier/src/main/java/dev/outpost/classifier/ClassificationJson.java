package dev.outpost.classifier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON shape of a classification, as {@code outpost classify} writes it: the result with its
 * evidence spans, for tools that read the classifier's output without Kafka or Avro.
 */
public final class ClassificationJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ClassificationJson() {}

  /**
   * @param id the item's id
   * @param c its classification
   * @return {@code {id, labels, confidence, evidence, actors, classifier_version, language,
   *     language_supported}}
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
        span.put("rule", e.ruleId());
      }
    }
    final ArrayNode actors = node.putArray("actors");
    c.actors().forEach(actors::add);
    node.put("classifier_version", c.classifierVersion());
    node.put("language", c.language());
    node.put("language_supported", c.languageSupported());
    return node;
  }
}
