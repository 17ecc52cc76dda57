package dev.outpost.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.registry.CompatibilityLevel;
import dev.outpost.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns {@link StoreRecord}s into Kafka record keys and values and back, in the JSON layout of
 * Confluent's {@code _schemas} topic, so that either registry can read the other's topic:
 *
 * <ul>
 *   <li>schema key {@code {"keytype":"SCHEMA","subject":"s","version":1,"magic":1}}, value {@code
 *       {"subject":"s","version":1,"id":1,"schema":"...","deleted":false}}; a {@code null} value
 *       (tombstone) is a permanent delete of that version;
 *   <li>config key {@code {"keytype":"CONFIG","subject":null,"magic":0}} (global) or with the
 *       subject, value {@code {"compatibilityLevel":"FULL"}}; a {@code null} value clears it.
 * </ul>
 *
 * <p>Other key types Confluent writes ({@code NOOP}, {@code MODE}, {@code DELETE_SUBJECT}, ...)
 * decode to nothing: the schema and config records already carry their effect. Unknown JSON fields
 * are ignored. Thread-safe.
 */
final class StoreRecordCodec {

  static final String KEYTYPE_SCHEMA = "SCHEMA";
  static final String KEYTYPE_CONFIG = "CONFIG";
  private static final int SCHEMA_MAGIC = 1;
  private static final int CONFIG_MAGIC = 0;
  private static final String AVRO = "AVRO";

  private final ObjectMapper mapper = new ObjectMapper();

  /**
   * @param record a record
   * @return its Kafka key
   */
  byte[] encodeKey(final StoreRecord record) {
    final ObjectNode key = mapper.createObjectNode();
    if (record instanceof StoreRecord.Config config) {
      key.put("keytype", KEYTYPE_CONFIG);
      if (config.subject() == null) {
        key.putNull("subject");
      } else {
        key.put("subject", config.subject());
      }
      key.put("magic", CONFIG_MAGIC);
    } else {
      key.put("keytype", KEYTYPE_SCHEMA);
      key.put("subject", subjectOf(record));
      key.put("version", versionOf(record));
      key.put("magic", SCHEMA_MAGIC);
    }
    return write(key);
  }

  /**
   * @param record a record
   * @return its Kafka value, or {@code null} for a tombstone
   */
  byte[] encodeValue(final StoreRecord record) {
    if (record instanceof StoreRecord.SchemaVersion version) {
      final ObjectNode value = mapper.createObjectNode();
      value.put("subject", version.subject());
      value.put("version", version.version());
      value.put("id", version.id());
      value.put("schema", version.schema());
      value.put("deleted", version.deleted());
      return write(value);
    }
    if (record instanceof StoreRecord.Config config) {
      if (config.level() == null) {
        return null;
      }
      final ObjectNode value = mapper.createObjectNode();
      value.put("compatibilityLevel", config.level().name());
      return write(value);
    }
    if (record instanceof StoreRecord.VersionTombstone) {
      return null;
    }
    throw new IllegalArgumentException(
        "This registry never writes a " + record.getClass().getSimpleName() + ": " + record);
  }

  /**
   * @param key a Kafka key from the topic
   * @param value its value, or {@code null} for a tombstone
   * @return the record, or empty for a key type that carries no schema or config
   * @throws IllegalArgumentException if the key or value is not what Confluent's registry writes
   */
  Optional<StoreRecord> decode(final byte[] key, final byte[] value) {
    if (key == null) {
      throw new IllegalArgumentException("record has no key");
    }
    final JsonNode keyNode = read(key, "key");
    final String keytype = keyNode.path("keytype").asText("");
    if (KEYTYPE_SCHEMA.equals(keytype)) {
      return Optional.of(decodeSchema(keyNode, value));
    }
    if (KEYTYPE_CONFIG.equals(keytype)) {
      return Optional.of(decodeConfig(keyNode, value));
    }
    return Optional.empty();
  }

  private StoreRecord decodeSchema(final JsonNode keyNode, final byte[] value) {
    final String subject = requiredText(keyNode, "subject", "schema key");
    final int version = requiredInt(keyNode, "version", "schema key");
    if (value == null) {
      return new StoreRecord.VersionTombstone(subject, version);
    }
    final JsonNode valueNode = read(value, "schema value");
    final int id = requiredInt(valueNode, "id", "schema value");
    final JsonNode type = valueNode.get("schemaType");
    if (type != null && !type.isNull() && !AVRO.equals(type.asText().toUpperCase(Locale.ROOT))) {
      return new StoreRecord.ForeignSchema(subject, version, id, type.asText());
    }
    return new StoreRecord.SchemaVersion(
        subject,
        version,
        id,
        requiredText(valueNode, "schema", "schema value"),
        valueNode.path("deleted").asBoolean(false));
  }

  private StoreRecord decodeConfig(final JsonNode keyNode, final byte[] value) {
    final JsonNode subjectNode = keyNode.get("subject");
    final String subject =
        subjectNode == null || subjectNode.isNull() || subjectNode.asText().isEmpty()
            ? null
            : subjectNode.asText();
    if (value == null) {
      return new StoreRecord.Config(subject, null);
    }
    final JsonNode level = read(value, "config value").get("compatibilityLevel");
    if (level == null || level.isNull()) {
      return new StoreRecord.Config(subject, null);
    }
    try {
      return new StoreRecord.Config(subject, CompatibilityLevel.parse(level.asText()));
    } catch (final SchemaRegistryException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static String subjectOf(final StoreRecord record) {
    if (record instanceof StoreRecord.SchemaVersion v) {
      return v.subject();
    }
    if (record instanceof StoreRecord.VersionTombstone t) {
      return t.subject();
    }
    if (record instanceof StoreRecord.ForeignSchema f) {
      return f.subject();
    }
    throw new IllegalArgumentException("no subject key for " + record);
  }

  private static int versionOf(final StoreRecord record) {
    if (record instanceof StoreRecord.SchemaVersion v) {
      return v.version();
    }
    if (record instanceof StoreRecord.VersionTombstone t) {
      return t.version();
    }
    if (record instanceof StoreRecord.ForeignSchema f) {
      return f.version();
    }
    throw new IllegalArgumentException("no version key for " + record);
  }

  private static String requiredText(final JsonNode node, final String field, final String what) {
    final JsonNode child = node.get(field);
    if (child == null || !child.isTextual()) {
      throw new IllegalArgumentException(what + " has no text field '" + field + "': " + node);
    }
    return child.asText();
  }

  private static int requiredInt(final JsonNode node, final String field, final String what) {
    final JsonNode child = node.get(field);
    if (child == null || !child.canConvertToInt() || !child.isIntegralNumber()) {
      throw new IllegalArgumentException(what + " has no int field '" + field + "': " + node);
    }
    return child.intValue();
  }

  private JsonNode read(final byte[] bytes, final String what) {
    try {
      final JsonNode node = mapper.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException(what + " is not a JSON object");
      }
      return node;
    } catch (final IOException e) {
      throw new IllegalArgumentException(what + " is not JSON: " + e.getMessage(), e);
    }
  }

  private byte[] write(final JsonNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (final JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + node, e);
    }
  }
}
