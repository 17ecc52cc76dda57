package dev.outpost.registry.serde;

import org.apache.avro.Schema;

/**
 * The record's full name, such as {@code dev.outpost.model.NewsItem}, whatever the topic: one
 * subject per record type across every topic that carries it.
 */
public final class RecordNameStrategy implements SubjectNameStrategy {

  /** Creates the strategy; it has no state. */
  public RecordNameStrategy() {}

  /**
   * @param topic unused
   * @param isKey unused
   * @param schema the record's schema
   * @return the schema's full name
   */
  @Override
  public String subjectName(final String topic, final boolean isKey, final Schema schema) {
    return schema.getFullName();
  }
}
