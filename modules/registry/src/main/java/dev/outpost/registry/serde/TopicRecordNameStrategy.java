package dev.outpost.registry.serde;

import org.apache.avro.Schema;

/**
 * {@code <topic>-<record full name>}, such as {@code news.items.v1-dev.outpost.model.NewsItem}:
 * one subject per record type per topic, so a topic may carry several record types.
 */
public final class TopicRecordNameStrategy implements SubjectNameStrategy {

  /** Creates the strategy; it has no state. */
  public TopicRecordNameStrategy() {}

  /**
   * @param topic the topic
   * @param isKey unused
   * @param schema the record's schema
   * @return {@code topic + "-" + fullName}
   */
  @Override
  public String subjectName(final String topic, final boolean isKey, final Schema schema) {
    return topic + "-" + schema.getFullName();
  }
}
