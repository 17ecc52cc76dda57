package dev.outpost.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.registry.CompatibilityLevel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code _schemas} record layout, checked against what Confluent's registry writes. */
class StoreRecordCodecTest {

  private final StoreRecordCodec codec = new StoreRecordCodec();

  @Test
  void schemaVersionIsWrittenLikeConfluent() {
    final StoreRecord record =
        new StoreRecord.SchemaVersion("alerts-value", 3, 7, "\"string\"", false);
    assertThat(text(codec.encodeKey(record)))
        .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"alerts-value\",\"version\":3,\"magic\":1}");
    assertThat(text(codec.encodeValue(record)))
        .isEqualTo(
            "{\"subject\":\"alerts-value\",\"version\":3,\"id\":7,\"schema\":\"\\\"string\\\"\","
                + "\"deleted\":false}");
  }

  @Test
  void referencesAreWrittenAndReadAsConfluentsSchemaValueCarriesThem() {
    final StoreRecord record =
        new StoreRecord.SchemaVersion(
            "order-value",
            1,
            4,
            "\"string\"",
            false,
            List.of(new StoreRecord.Reference("dev.outpost.Location", "location", 2)));
    assertThat(text(codec.encodeValue(record)))
        .isEqualTo(
            "{\"subject\":\"order-value\",\"version\":1,\"id\":4,"
                + "\"references\":[{\"name\":\"dev.outpost.Location\",\"subject\":\"location\","
                + "\"version\":2}],\"schema\":\"\\\"string\\\"\",\"deleted\":false}");

    // As a Confluent registry writes it: schemaType and references before the schema.
    final byte[] key = bytes("{\"keytype\":\"SCHEMA\",\"subject\":\"order-value\",\"version\":1,\"magic\":1}");
    assertThat(
            codec.decode(
                key,
                bytes(
                    "{\"subject\":\"order-value\",\"version\":1,\"id\":4,\"schemaType\":\"AVRO\","
                        + "\"references\":[{\"name\":\"dev.outpost.Location\",\"subject\":\"location\","
                        + "\"version\":2}],\"schema\":\"\\\"string\\\"\",\"deleted\":false}")))
        .contains(record);
    // No field, null or an empty list: no references.
    for (final String references : new String[] {"", "\"references\":null,", "\"references\":[],"}) {
      assertThat(
              codec.decode(
                  key,
                  bytes(
                      "{\"subject\":\"order-value\",\"version\":1,\"id\":4,"
                          + references
                          + "\"schema\":\"\\\"string\\\"\"}")))
          .as(references)
          .contains(new StoreRecord.SchemaVersion("order-value", 1, 4, "\"string\"", false));
    }
    assertThatThrownBy(
            () ->
                codec.decode(
                    key,
                    bytes(
                        "{\"id\":4,\"references\":[{\"name\":\"n\",\"version\":2}],"
                            + "\"schema\":\"\\\"string\\\"\"}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("subject");
  }

  @Test
  void configIsWrittenLikeConfluent() {
    // ConfigKey and ConfigValue leave a null subject out (Jackson NON_EMPTY).
    final StoreRecord global = new StoreRecord.Config(null, CompatibilityLevel.FULL);
    assertThat(text(codec.encodeKey(global))).isEqualTo("{\"keytype\":\"CONFIG\",\"magic\":0}");
    assertThat(text(codec.encodeValue(global))).isEqualTo("{\"compatibilityLevel\":\"FULL\"}");

    final StoreRecord subject =
        new StoreRecord.Config("alerts-value", CompatibilityLevel.FORWARD_TRANSITIVE);
    assertThat(text(codec.encodeKey(subject)))
        .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":\"alerts-value\",\"magic\":0}");
    assertThat(text(codec.encodeValue(subject)))
        .isEqualTo(
            "{\"subject\":\"alerts-value\",\"compatibilityLevel\":\"FORWARD_TRANSITIVE\"}");
  }

  @Test
  void modeIsWrittenLikeConfluent() {
    final StoreRecord global = new StoreRecord.Mode(null, "READONLY");
    assertThat(text(codec.encodeKey(global))).isEqualTo("{\"keytype\":\"MODE\",\"magic\":0}");
    assertThat(text(codec.encodeValue(global))).isEqualTo("{\"mode\":\"READONLY\"}");

    final StoreRecord subject = new StoreRecord.Mode("alerts-value", "IMPORT");
    assertThat(text(codec.encodeKey(subject)))
        .isEqualTo("{\"keytype\":\"MODE\",\"subject\":\"alerts-value\",\"magic\":0}");
    assertThat(text(codec.encodeValue(subject)))
        .isEqualTo("{\"subject\":\"alerts-value\",\"mode\":\"IMPORT\"}");
    assertThat(codec.encodeValue(new StoreRecord.Mode("alerts-value", null))).isNull();
    assertThatThrownBy(() -> new StoreRecord.Mode(null, "SIDEWAYS"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SIDEWAYS");
  }

  @Test
  void subjectDeletesAreWrittenLikeConfluent() {
    final StoreRecord delete = new StoreRecord.DeleteSubject("alerts-value", 3);
    assertThat(text(codec.encodeKey(delete)))
        .isEqualTo(
            "{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"alerts-value\",\"magic\":0}");
    assertThat(text(codec.encodeValue(delete)))
        .isEqualTo("{\"subject\":\"alerts-value\",\"version\":3}");

    final StoreRecord clear = new StoreRecord.ClearSubject("alerts-value");
    assertThat(text(codec.encodeKey(clear)))
        .isEqualTo(
            "{\"keytype\":\"CLEAR_SUBJECT\",\"subject\":\"alerts-value\",\"magic\":0}");
    assertThat(text(codec.encodeValue(clear))).isEqualTo("{\"subject\":\"alerts-value\"}");
  }

  @Test
  void aSoftDeletedVersionIsItsSchemaRecordWithDeletedTrue() {
    final StoreRecord soft = new StoreRecord.SchemaVersion("alerts-value", 2, 5, "\"long\"", true);
    assertThat(text(codec.encodeKey(soft)))
        .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"alerts-value\",\"version\":2,\"magic\":1}");
    assertThat(text(codec.encodeValue(soft)))
        .isEqualTo(
            "{\"subject\":\"alerts-value\",\"version\":2,\"id\":5,\"schema\":\"\\\"long\\\"\","
                + "\"deleted\":true}");
  }

  @Test
  void clearsAndPermanentDeletesAreTombstones() {
    assertThat(codec.encodeValue(new StoreRecord.Config("alerts-value", null))).isNull();
    final StoreRecord tombstone = new StoreRecord.VersionTombstone("alerts-value", 2);
    assertThat(codec.encodeValue(tombstone)).isNull();
    assertThat(text(codec.encodeKey(tombstone)))
        .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"alerts-value\",\"version\":2,\"magic\":1}");
  }

  @Test
  void everyRecordItWritesDecodesToItself() {
    final List<StoreRecord> records =
        List.of(
            new StoreRecord.SchemaVersion("a", 1, 1, Schemas.V1, false),
            new StoreRecord.SchemaVersion("a b/c", 2, 9, Schemas.V2, true),
            new StoreRecord.SchemaVersion(
                "b",
                1,
                10,
                Schemas.V1,
                true,
                List.of(
                    new StoreRecord.Reference("dev.outpost.A", "a", 1),
                    new StoreRecord.Reference("dev.outpost.C", "a b/c", 2))),
            new StoreRecord.Config(null, CompatibilityLevel.NONE),
            new StoreRecord.Config("a", CompatibilityLevel.BACKWARD_TRANSITIVE),
            new StoreRecord.Config("a", null),
            new StoreRecord.VersionTombstone("a", 2),
            new StoreRecord.Mode(null, "READWRITE"),
            new StoreRecord.Mode("a", "READONLY_OVERRIDE"),
            new StoreRecord.Mode("a", null),
            new StoreRecord.DeleteSubject("a b/c", 7),
            new StoreRecord.ClearSubject("a"),
            new StoreRecord.ClearSubject(null));
    for (final StoreRecord record : records) {
      assertThat(codec.decode(codec.encodeKey(record), codec.encodeValue(record)))
          .as(record.toString())
          .contains(record);
    }
  }

  @Test
  void foreignSchemasAreNeverWritten() {
    assertThatThrownBy(
            () -> codec.encodeValue(new StoreRecord.ForeignSchema("p", 1, 5, "PROTOBUF")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never writes");
  }

  @Test
  void readsATopicAConfluentRegistryWrote() {
    final List<StoreRecord> decoded = new ArrayList<>();
    for (final TopicDump.Line line : TopicDump.confluentTopic()) {
      codec.decode(line.key(), line.value()).ifPresent(decoded::add);
    }
    assertThat(decoded)
        .containsExactly(
            new StoreRecord.Config(null, CompatibilityLevel.FULL),
            new StoreRecord.SchemaVersion("alerts-value", 1, 1, Schemas.V1, false),
            new StoreRecord.SchemaVersion("alerts-value", 2, 2, Schemas.V2, false),
            new StoreRecord.Config("alerts-value", CompatibilityLevel.BACKWARD_TRANSITIVE),
            new StoreRecord.SchemaVersion("old-value", 1, 3, "\"string\"", true),
            new StoreRecord.DeleteSubject("old-value", 1),
            new StoreRecord.SchemaVersion("gone-value", 1, 4, "\"long\"", false),
            new StoreRecord.VersionTombstone("gone-value", 1),
            new StoreRecord.ForeignSchema("proto-value", 1, 5, "PROTOBUF"),
            new StoreRecord.Mode(null, "READWRITE"),
            new StoreRecord.Config("temp-value", CompatibilityLevel.NONE),
            new StoreRecord.Config("temp-value", null));
  }

  @Test
  void keyTypesThatChangeNothingHereDecodeToNothing() {
    for (final String key :
        List.of(
            "{\"keytype\":\"NOOP\",\"magic\":0}",
            "{\"keytype\":\"CONTEXT\",\"tenant\":\"default\",\"context\":\".ctx\",\"magic\":0}",
            "{\"keytype\":\"ASSOC\",\"magic\":0}")) {
      assertThat(codec.decode(bytes(key), bytes("{}"))).as(key).isEqualTo(Optional.empty());
    }
    // Confluent ignores tombstones on keys other than SCHEMA, CONFIG and MODE.
    for (final String key :
        List.of(
            "{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"s\",\"magic\":0}",
            "{\"keytype\":\"CLEAR_SUBJECT\",\"subject\":\"s\",\"magic\":0}")) {
      assertThat(codec.decode(bytes(key), null)).as(key).isEqualTo(Optional.empty());
    }
  }

  @Test
  void modeAndSubjectRecordsReadAsConfluentWritesThem() {
    assertThat(codec.decode(bytes("{\"keytype\":\"MODE\",\"subject\":null,\"magic\":0}"), bytes("{\"mode\":\"readonly\"}")))
        .contains(new StoreRecord.Mode(null, "READONLY"));
    assertThat(codec.decode(bytes("{\"keytype\":\"MODE\",\"subject\":\"s\",\"magic\":0}"), null))
        .contains(new StoreRecord.Mode("s", null));
    assertThat(
            codec.decode(
                bytes("{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"s\",\"magic\":0}"),
                bytes("{\"subject\":\"s\",\"version\":4}")))
        .contains(new StoreRecord.DeleteSubject("s", 4));
    assertThat(
            codec.decode(
                bytes("{\"keytype\":\"CLEAR_SUBJECT\",\"magic\":0}"), bytes("{}")))
        .contains(new StoreRecord.ClearSubject(null));
    assertThatThrownBy(
            () ->
                codec.decode(
                    bytes("{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"s\",\"magic\":0}"),
                    bytes("{\"subject\":\"s\"}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'version'");
  }

  @Test
  void emptyOrMissingConfigSubjectMeansGlobal() {
    assertThat(codec.decode(bytes("{\"keytype\":\"CONFIG\",\"magic\":0}"), bytes("{\"compatibilityLevel\":\"full\"}")))
        .contains(new StoreRecord.Config(null, CompatibilityLevel.FULL));
    assertThat(codec.decode(bytes("{\"keytype\":\"CONFIG\",\"subject\":\"\",\"magic\":0}"), bytes("{}")))
        .contains(new StoreRecord.Config(null, null));
  }

  @Test
  void malformedRecordsAreRefused() {
    assertThatThrownBy(() -> codec.decode(null, bytes("{}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no key");
    assertThatThrownBy(() -> codec.decode(bytes("not json"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key is not JSON");
    assertThatThrownBy(() -> codec.decode(bytes("[1]"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(
            () -> codec.decode(bytes("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"magic\":1}"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'version'");
    assertThatThrownBy(
            () ->
                codec.decode(
                    bytes("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":1,\"magic\":1}"),
                    bytes("{\"subject\":\"s\",\"version\":1,\"id\":1}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'schema'");
    assertThatThrownBy(
            () ->
                codec.decode(
                    bytes("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}"),
                    bytes("{\"compatibilityLevel\":\"SIDEWAYS\"}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SIDEWAYS");
  }

  private static String text(final byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(final String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
