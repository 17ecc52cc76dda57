package dev.outpost.subscribers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.IndexedRecord;

/**
 * Renders Avro records as plain JSON for people and scripts: unions are unwrapped (no {@code
 * {"string": ...}} wrappers, unlike Avro's JSON encoding), timestamps become ISO-8601 strings, enums
 * their symbol names and bytes Base64.
 */
public final class AvroJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AvroJson() {}

  /**
   * @param record an Avro record
   * @return it as a JSON object
   */
  public static ObjectNode toJson(final IndexedRecord record) {
    final ObjectNode node = NODES.objectNode();
    for (final org.apache.avro.Schema.Field field : record.getSchema().getFields()) {
      node.set(field.name(), value(record.get(field.pos())));
    }
    return node;
  }

  /**
   * @param record an Avro record
   * @return it as one line of JSON
   */
  public static String toJsonLine(final IndexedRecord record) {
    return toJson(record).toString();
  }

  private static JsonNode value(final Object value) {
    if (value == null) {
      return NODES.nullNode();
    } else if (value instanceof IndexedRecord record) {
      return toJson(record);
    } else if (value instanceof CharSequence text) {
      return NODES.textNode(text.toString());
    } else if (value instanceof Instant instant) {
      return NODES.textNode(instant.toString());
    } else if (value instanceof Integer i) {
      return NODES.numberNode(i);
    } else if (value instanceof Long l) {
      return NODES.numberNode(l);
    } else if (value instanceof Double d) {
      return NODES.numberNode(d);
    } else if (value instanceof Float f) {
      return NODES.numberNode(f);
    } else if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    } else if (value instanceof Enum<?> e) {
      return NODES.textNode(e.name());
    } else if (value instanceof Collection<?> items) {
      final ArrayNode array = NODES.arrayNode();
      items.forEach(item -> array.add(value(item)));
      return array;
    } else if (value instanceof GenericContainer container) {
      return NODES.textNode(container.toString());
    } else if (value instanceof ByteBuffer bytes) {
      final ByteBuffer copy = bytes.duplicate();
      final byte[] raw = new byte[copy.remaining()];
      copy.get(raw);
      return NODES.textNode(Base64.getEncoder().encodeToString(raw));
    } else if (value instanceof Map<?, ?> map) {
      final ObjectNode object = NODES.objectNode();
      map.forEach((k, v) -> object.set(String.valueOf(k), value(v)));
      return object;
    }
    return NODES.textNode(value.toString());
  }
}
