package dev.outpost.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of one subject, as the registry returns it.
 *
 * @param subject the subject name
 * @param id the registry-wide schema id
 * @param version the version within the subject, from 1
 * @param schema the parsed Avro schema
 */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {
  /** Checks for nulls. */
  public RegisteredSchema {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
  }
}
