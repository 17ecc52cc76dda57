package dev.outpost.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.registry.CompatibilityLevel;
import dev.outpost.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns {@link StoreRecord}s into Kafka record keys and values and back, in the JSON layout of
 * Confluent's {@code _schemas} topic (its {@code SchemaKey}, {@code ConfigKey}, {@code ModeKey},
 * {@code DeleteSubjectKey} and {@code ClearSubjectKey} with their values; a field that is null is
 * left out, as Confluent's {@code NON_EMPTY} serialization does), so that either registry can read
 * the other's topic:
 *
 * <ul>
 *   <li>schema key {@code {"keytype":"SCHEMA","subject":"s","version":1,"magic":1}}, value {@code
 *       {"subject":"s","version":1,"id":1,"schema":"...","deleted":false}}, plus {@code
 *       "references":[{"name":"n","subject":"t","version":1}]} when the schema references others
 *       (left out when none, read as none when absent); {@code "deleted":true} is a soft delete of
 *       that version, a {@code null} value (tombstone) a permanent one;
 *   <li>config key {@code {"keytype":"CONFIG","magic":0}} (global) or {@code
 *       {"keytype":"CONFIG","subject":"s","magic":0}}, value {@code
 *       {"subject":"s","compatibilityLevel":"FULL"}}; a {@code null} value clears it (an older
 *       Confluent registry wrote {@code "subject":null} in the global key: read the same);
 *   <li>mode key {@code {"keytype":"MODE","subject":"s","magic":0}}, value {@code
 *       {"subject":"s","mode":"READONLY"}}; a {@code null} value clears it;
 *   <li>{@code {"keytype":"DELETE_SUBJECT","subject":"s","magic":0}}, value {@code
 *       {"subject":"s","version":3}}: a soft delete of versions 1..3 of the subject;
 *   <li>{@code {"keytype":"CLEAR_SUBJECT","subject":"s","magic":0}}, value {@code
 *       {"subject":"s"}}: forget the subject's soft-deleted versions.
 * </ul>
 *
 * <p>Other key types Confluent writes ({@code NOOP}, {@code CONTEXT}, {@code ASSOC}) and
 * tombstones on {@code DELETE_SUBJECT} or {@code CLEAR_SUBJECT} keys decode to nothing, as
 * Confluent's registry ignores them too. Unknown JSON fields are ignored. Thread-safe.
 */
final class StoreRecordCodec {

  static final String KEYTYPE_SCHEMA = "SCHEMA";
  static final String KEYTYPE_CONFIG = "CONFIG";
  static final String KEYTYPE_MODE = "MODE";
  static final String KEYTYPE_DELETE_SUBJECT = "DELETE_SUBJECT";
  static final String KEYTYPE_CLEAR_SUBJECT = "CLEAR_SUBJECT";
  private static final int SCHEMA_MAGIC = 1;
  // Every key type but SCHEMA carries magic 0.
  private static final int OTHER_MAGIC = 0;
  private static final String AVRO = "AVRO";

  private final ObjectMapper mapper = new ObjectMapper();

  /**
   * @param record a record
   * @return its Kafka key
   */
  byte[] encodeKey(final StoreRecord record) {
    if (record instanceof StoreRecord.Config config) {
      return write(subjectKey(KEYTYPE_CONFIG, config.subject()));
    }
    if (record instanceof StoreRecord.Mode mode) {
      return write(subjectKey(KEYTYPE_MODE, mode.subject()));
    }
    if (record instanceof StoreRecord.DeleteSubject delete) {
      return write(subjectKey(KEYTYPE_DELETE_SUBJECT, delete.subject()));
    }
    if (record instanceof StoreRecord.ClearSubject clear) {
      return write(subjectKey(KEYTYPE_CLEAR_SUBJECT, clear.subject()));
    }
    final ObjectNode key = mapper.createObjectNode();
    key.put("keytype", KEYTYPE_SCHEMA);
    key.put("subject", subjectOf(record));
    key.put("version", versionOf(record));
    key.put("magic", SCHEMA_MAGIC);
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
      if (!version.references().isEmpty()) {
        final ArrayNode references = value.putArray("references");
        for (final StoreRecord.Reference reference : version.references()) {
          references
              .addObject()
              .put("name", reference.name())
              .put("subject", reference.subject())
              .put("version", reference.version());
        }
      }
      value.put("schema", version.schema());
      value.put("deleted", version.deleted());
      return write(value);
    }
    if (record instanceof StoreRecord.Config config) {
      if (config.level() == null) {
        return null;
      }
      final ObjectNode value = subjectValue(config.subject());
      value.put("compatibilityLevel", config.level().name());
      return write(value);
    }
    if (record instanceof StoreRecord.Mode mode) {
      if (mode.mode() == null) {
        return null;
      }
      final ObjectNode value = subjectValue(mode.subject());
      value.put("mode", mode.mode());
      return write(value);
    }
    if (record instanceof StoreRecord.DeleteSubject delete) {
      final ObjectNode value = subjectValue(delete.subject());
      value.put("version", delete.version());
      return write(value);
    }
    if (record instanceof StoreRecord.ClearSubject clear) {
      return write(subjectValue(clear.subject()));
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
   * @return the record, or empty for a record that changes nothing this registry keeps
   * @throws IllegalArgumentException if the key or value is not what Confluent's registry writes
   */
  Optional<StoreRecord> decode(final byte[] key, final byte[] value) {
    if (key == null) {
      throw new IllegalArgumentException("record has no key");
    }
    final JsonNode keyNode = read(key, "key");
    final String keytype = keyNode.path("keytype").asText("");
    switch (keytype) {
      case KEYTYPE_SCHEMA:
        return Optional.of(decodeSchema(keyNode, value));
      case KEYTYPE_CONFIG:
        return Optional.of(decodeConfig(keyNode, value));
      case KEYTYPE_MODE:
        return Optional.of(decodeMode(keyNode, value));
      case KEYTYPE_DELETE_SUBJECT:
        return value == null ? Optional.empty() : Optional.of(decodeDeleteSubject(keyNode, value));
      case KEYTYPE_CLEAR_SUBJECT:
        return value == null
            ? Optional.empty()
            : Optional.of(new StoreRecord.ClearSubject(subjectOfValue(keyNode, value)));
      default:
        return Optional.empty();
    }
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
        valueNode.path("deleted").asBoolean(false),
        decodeReferences(valueNode));
  }

  /** A schema value's {@code references}; absent or null means none. */
  private static List<StoreRecord.Reference> decodeReferences(final JsonNode valueNode) {
    final JsonNode node = valueNode.get("references");
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException("schema value's 'references' is not an array: " + node);
    }
    final List<StoreRecord.Reference> references = new ArrayList<>();
    for (final JsonNode reference : node) {
      references.add(
          new StoreRecord.Reference(
              requiredText(reference, "name", "schema reference"),
              requiredText(reference, "subject", "schema reference"),
              requiredInt(reference, "version", "schema reference")));
    }
    return references;
  }

  private StoreRecord decodeConfig(final JsonNode keyNode, final byte[] value) {
    final String subject = optionalSubject(keyNode);
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

  private StoreRecord decodeMode(final JsonNode keyNode, final byte[] value) {
    final String subject = optionalSubject(keyNode);
    if (value == null) {
      return new StoreRecord.Mode(subject, null);
    }
    final JsonNode mode = read(value, "mode value").get("mode");
    if (mode == null || mode.isNull()) {
      return new StoreRecord.Mode(subject, null);
    }
    return new StoreRecord.Mode(subject, mode.asText().toUpperCase(Locale.ROOT));
  }

  private StoreRecord decodeDeleteSubject(final JsonNode keyNode, final byte[] value) {
    final JsonNode valueNode = read(value, "delete-subject value");
    final JsonNode subject = valueNode.get("subject");
    return new StoreRecord.DeleteSubject(
        subject != null && subject.isTextual()
            ? subject.asText()
            : requiredText(keyNode, "subject", "delete-subject key"),
        requiredInt(valueNode, "version", "delete-subject value"));
  }

  /** Confluent takes the subject of these records from the value; the key carries it too. */
  private String subjectOfValue(final JsonNode keyNode, final byte[] value) {
    final JsonNode subject = read(value, "clear-subject value").get("subject");
    if (subject != null && subject.isTextual()) {
      return subject.asText();
    }
    return optionalSubject(keyNode);
  }

  /** A key's subject; missing, null or empty means global. */
  private static String optionalSubject(final JsonNode keyNode) {
    final JsonNode subjectNode = keyNode.get("subject");
    return subjectNode == null || subjectNode.isNull() || subjectNode.asText().isEmpty()
        ? null
        : subjectNode.asText();
  }

  private ObjectNode subjectKey(final String keytype, final String subject) {
    final ObjectNode key = mapper.createObjectNode();
    key.put("keytype", keytype);
    if (subject != null) {
      key.put("subject", subject);
    }
    key.put("magic", OTHER_MAGIC);
    return key;
  }

  private ObjectNode subjectValue(final String subject) {
    final ObjectNode value = mapper.createObjectNode();
    if (subject != null) {
      value.put("subject", subject);
    }
    return value;
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
