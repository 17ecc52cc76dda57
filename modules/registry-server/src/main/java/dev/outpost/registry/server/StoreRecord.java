package dev.outpost.registry.server;

import dev.outpost.registry.CompatibilityLevel;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of a {@link SchemaStore}'s log. The registry's whole state is the replay of these, in
 * order, exactly as Confluent's registry rebuilds itself from its {@code _schemas} topic.
 */
public sealed interface StoreRecord {

  /**
   * A version of a subject: the schema text and its registry-wide id.
   *
   * @param subject the subject
   * @param version the version within the subject, from 1
   * @param id the registry-wide schema id, from 1
   * @param schema the schema, in the registry's canonical text (Avro's {@code Schema.toString()})
   * @param deleted true when the version was soft-deleted (the version is hidden but its id still
   *     resolves)
   * @param references the schemas this one references, as Confluent's schema value carries them;
   *     empty when none
   */
  record SchemaVersion(
      String subject,
      int version,
      int id,
      String schema,
      boolean deleted,
      List<Reference> references)
      implements StoreRecord {

    /** A version of a schema that references no other. */
    public SchemaVersion(
        final String subject,
        final int version,
        final int id,
        final String schema,
        final boolean deleted) {
      this(subject, version, id, schema, deleted, List.of());
    }

    /** Checks the fields. */
    public SchemaVersion {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(schema, "schema");
      references = references == null ? List.of() : List.copyOf(references);
      if (version < 1) {
        throw new IllegalArgumentException("version must be >= 1, was " + version);
      }
      if (id < 0) {
        throw new IllegalArgumentException("id must be >= 0, was " + id);
      }
    }
  }

  /**
   * A reference from a schema to a version of another subject, as Confluent's {@code
   * SchemaReference}: for Avro, {@code name} is the full name of the type the referenced schema
   * defines.
   *
   * @param name the name the referring schema uses for it
   * @param subject the referenced subject
   * @param version the referenced version
   */
  record Reference(String name, String subject, int version) {
    /** Checks the fields. */
    public Reference {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(subject, "subject");
    }
  }

  /**
   * A compatibility level set (or cleared) globally or for one subject.
   *
   * @param subject the subject, or {@code null} for the global level
   * @param level the new level, or {@code null} when the setting was removed
   */
  record Config(String subject, CompatibilityLevel level) implements StoreRecord {}

  /**
   * A mode set (or cleared) globally or for one subject, as Confluent's {@code MODE} records carry
   * it.
   *
   * @param subject the subject, or {@code null} for the global mode
   * @param mode one of {@link #MODES}, or {@code null} when the setting was removed
   */
  record Mode(String subject, String mode) implements StoreRecord {
    /** The modes Confluent's registry writes. */
    public static final Set<String> MODES =
        Set.of("READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT", "FORWARD");

    /** Checks the mode. */
    public Mode {
      if (mode != null && !MODES.contains(mode)) {
        throw new IllegalArgumentException("unknown mode " + mode + "; expected one of " + MODES);
      }
    }
  }

  /**
   * A soft delete of a whole subject: every version up to {@code version} is hidden, while their
   * ids still resolve. Confluent writes this ({@code DELETE_SUBJECT}) instead of one schema record
   * per version.
   *
   * @param subject the subject
   * @param version the highest version the delete covers
   */
  record DeleteSubject(String subject, int version) implements StoreRecord {
    /** Checks the fields. */
    public DeleteSubject {
      Objects.requireNonNull(subject, "subject");
      if (version < 1) {
        throw new IllegalArgumentException("version must be >= 1, was " + version);
      }
    }
  }

  /**
   * Forgets the soft-deleted versions of a subject (or of every subject, when {@code subject} is
   * {@code null}); Confluent writes this ({@code CLEAR_SUBJECT}) after permanently deleting them,
   * before it switches to IMPORT mode.
   *
   * @param subject the subject, or {@code null} for every subject
   */
  record ClearSubject(String subject) implements StoreRecord {}

  /**
   * A version removed for good (a Kafka tombstone on its key, written by a Confluent registry's
   * permanent delete).
   *
   * @param subject the subject
   * @param version the version removed
   */
  record VersionTombstone(String subject, int version) implements StoreRecord {
    /** Checks the fields. */
    public VersionTombstone {
      Objects.requireNonNull(subject, "subject");
    }
  }

  /**
   * A schema of a type this registry does not serve (PROTOBUF, JSON), found in a log shared with a
   * Confluent registry. Only its id matters: it is never handed out again.
   *
   * @param subject the subject
   * @param version the version within the subject
   * @param id the id it holds
   * @param schemaType its type, as the log names it
   */
  record ForeignSchema(String subject, int version, int id, String schemaType)
      implements StoreRecord {}
}
