package dev.outpost.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Avro parsing as the registry needs it: a schema that names types defined by its references, and
 * the normalized form {@code normalize=true} asks for.
 *
 * <p>A schema with references is parsed after the referenced schemas, with one parser, so the
 * names they define resolve. Its stored text is Avro's JSON of the schema with the referenced
 * types left as names ({@link Schema#toString(Collection, boolean)}), as Confluent's registry
 * stores it, so the referenced types are not copied into the referring schema.
 *
 * <p>The normalized form follows the idea of Avro's Parsing Canonical Form, but keeps everything
 * that matters to a reader or to compatibility (defaults, aliases, docs, order, logical types and
 * other properties): every named type is written with its full name and no {@code namespace},
 * attributes come in a fixed order ({@code name}, {@code type}, then the type's own), properties
 * are sorted by key, aliases are sorted, and a named type appears in full only at its first use. So
 * two texts that declare the same schema with a different layout, key order or namespace style
 * normalize to the same text.
 */
final class AvroSchemas {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AvroSchemas() {}

  /** A parsed schema and its stored text. */
  record Parsed(Schema schema, String canonical) {}

  /**
   * Parses a schema after the schemas its references resolve to.
   *
   * @param text the schema's text
   * @param referenced the referenced schemas' texts, each after those it depends on
   * @return the schema, and its text with the referenced types left as names
   * @throws AvroRuntimeException or IllegalArgumentException if a text is not valid Avro
   */
  // Avro 1.12 deprecates toString(Collection, boolean) but offers no other public way to write a
  // schema with some named types left as names, which is the form references need.
  @SuppressWarnings("deprecation")
  static Parsed parse(final String text, final Collection<String> referenced) {
    final Schema.Parser parser = new Schema.Parser();
    final List<Schema> named = new ArrayList<>();
    for (final String reference : referenced) {
      named.add(parser.parse(reference));
    }
    final Schema schema = parser.parse(text);
    final String canonical = named.isEmpty() ? schema.toString() : schema.toString(named, false);
    return new Parsed(schema, canonical);
  }

  /**
   * @param schema a parsed schema
   * @param referenced the referenced schemas' texts (their types are written as names)
   * @return the schema's normalized text
   */
  static String normalize(final Schema schema, final Collection<String> referenced) {
    final Set<String> written = new HashSet<>();
    final Schema.Parser parser = new Schema.Parser();
    for (final String reference : referenced) {
      collectNames(parser.parse(reference), written);
    }
    return write(schema, written).toString();
  }

  private static void collectNames(final Schema schema, final Set<String> names) {
    switch (schema.getType()) {
      case RECORD -> {
        if (names.add(schema.getFullName())) {
          for (final Schema.Field field : schema.getFields()) {
            collectNames(field.schema(), names);
          }
        }
      }
      case ENUM, FIXED -> names.add(schema.getFullName());
      case ARRAY -> collectNames(schema.getElementType(), names);
      case MAP -> collectNames(schema.getValueType(), names);
      case UNION -> schema.getTypes().forEach(branch -> collectNames(branch, names));
      default -> {
        // primitives define no names
      }
    }
  }

  private static JsonNode write(final Schema schema, final Set<String> written) {
    final Schema.Type type = schema.getType();
    switch (type) {
      case UNION -> {
        final var branches = NODES.arrayNode();
        schema.getTypes().forEach(branch -> branches.add(write(branch, written)));
        return branches;
      }
      case RECORD, ENUM, FIXED -> {
        final String name = schema.getFullName();
        if (!written.add(name)) {
          return NODES.textNode(name);
        }
        final ObjectNode node = NODES.objectNode();
        node.put("name", name);
        node.put("type", type.getName());
        if (type == Schema.Type.ENUM) {
          final var symbols = node.putArray("symbols");
          schema.getEnumSymbols().forEach(symbols::add);
        } else if (type == Schema.Type.FIXED) {
          node.put("size", schema.getFixedSize());
        } else {
          final var fields = node.putArray("fields");
          for (final Schema.Field field : schema.getFields()) {
            fields.add(writeField(field, written));
          }
        }
        if (schema.getDoc() != null && !schema.getDoc().isEmpty()) {
          node.put("doc", schema.getDoc());
        }
        if (!schema.getAliases().isEmpty()) {
          final var aliases = node.putArray("aliases");
          new TreeSet<>(schema.getAliases()).forEach(aliases::add);
        }
        if (type == Schema.Type.ENUM && schema.getEnumDefault() != null) {
          node.put("default", schema.getEnumDefault());
        }
        return withTypeProps(node, schema);
      }
      case ARRAY, MAP -> {
        final ObjectNode node = NODES.objectNode();
        node.put("type", type.getName());
        if (type == Schema.Type.ARRAY) {
          node.set("items", write(schema.getElementType(), written));
        } else {
          node.set("values", write(schema.getValueType(), written));
        }
        return withTypeProps(node, schema);
      }
      default -> {
        if (schema.getLogicalType() == null && !schema.hasProps()) {
          return NODES.textNode(type.getName());
        }
        final ObjectNode node = NODES.objectNode();
        node.put("type", type.getName());
        return withTypeProps(node, schema);
      }
    }
  }

  private static JsonNode writeField(final Schema.Field field, final Set<String> written) {
    final ObjectNode node = NODES.objectNode();
    node.put("name", field.name());
    node.set("type", write(field.schema(), written));
    if (field.order() != null && field.order() != Schema.Field.Order.ASCENDING) {
      node.put("order", field.order().name().toLowerCase(Locale.ROOT));
    }
    if (field.doc() != null) {
      node.put("doc", field.doc());
    }
    if (!field.aliases().isEmpty()) {
      final var aliases = node.putArray("aliases");
      new TreeSet<>(field.aliases()).forEach(aliases::add);
    }
    if (field.hasDefaultValue()) {
      node.set("default", toJson(field.defaultVal()));
    }
    sortedProps(field.getObjectProps(), false).forEach((key, value) -> node.set(key, toJson(value)));
    return node;
  }

  /** Adds the logical type (with a decimal's precision and scale) and the sorted properties. */
  private static ObjectNode withTypeProps(final ObjectNode node, final Schema schema) {
    final LogicalType logical = schema.getLogicalType();
    if (logical != null) {
      node.put(LogicalType.LOGICAL_TYPE_PROP, logical.getName());
      if (logical instanceof LogicalTypes.Decimal decimal) {
        node.put("precision", decimal.getPrecision());
        if (decimal.getScale() != 0) {
          node.put("scale", decimal.getScale());
        }
      }
    }
    sortedProps(schema.getObjectProps(), logical != null)
        .forEach((key, value) -> node.set(key, toJson(value)));
    return node;
  }

  /** The properties by key, without those of a logical type, which are written already. */
  private static Map<String, Object> sortedProps(
      final Map<String, Object> props, final boolean logical) {
    final Map<String, Object> sorted = new TreeMap<>(props);
    if (logical) {
      sorted.remove(LogicalType.LOGICAL_TYPE_PROP);
      sorted.remove("precision");
      sorted.remove("scale");
    }
    return sorted;
  }

  /** A default or property value, as Avro holds it, in JSON. */
  private static JsonNode toJson(final Object value) {
    if (value == null || value == JsonProperties.NULL_VALUE) {
      return NODES.nullNode();
    }
    if (value instanceof byte[] bytes) {
      return NODES.textNode(new String(bytes, StandardCharsets.ISO_8859_1));
    }
    if (value instanceof Map<?, ?> map) {
      final ObjectNode node = NODES.objectNode();
      new TreeMap<>(map).forEach((key, entry) -> node.set(String.valueOf(key), toJson(entry)));
      return node;
    }
    if (value instanceof Collection<?> items) {
      final var node = NODES.arrayNode();
      items.forEach(item -> node.add(toJson(item)));
      return node;
    }
    if (value instanceof CharSequence || value instanceof Enum<?>) {
      return NODES.textNode(value.toString());
    }
    return MAPPER.valueToTree(value);
  }
}
