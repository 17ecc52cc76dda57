package dev.outpost.registry.serde;

import org.apache.avro.Schema;

/**
 * Chooses the registry subject a record's schema is registered and looked up under, as
 * Confluent's {@code key.subject.name.strategy} and {@code value.subject.name.strategy} do.
 * Implementations must be stateless and have a public no-argument constructor to be named in
 * configuration.
 *
 * @see TopicNameStrategy
 * @see RecordNameStrategy
 * @see TopicRecordNameStrategy
 */
@FunctionalInterface
public interface SubjectNameStrategy {

  /**
   * @param topic the topic the record goes to or comes from
   * @param isKey true for the record key, false for the value
   * @param schema the record's schema
   * @return the subject name
   */
  String subjectName(String topic, boolean isKey, Schema schema);
}
