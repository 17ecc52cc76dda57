package dev.outpost.registry.serde;

import org.apache.avro.Schema;

/**
 * The default strategy: {@code <topic>-key} or {@code <topic>-value}, so every record of a topic's
 * keys (or values) shares one subject and one compatibility history.
 */
public final class TopicNameStrategy implements SubjectNameStrategy {

  /** Creates the strategy; it has no state. */
  public TopicNameStrategy() {}

  /**
   * @param topic the topic
   * @param isKey true for the key
   * @param schema unused
   * @return {@code topic + "-key"} or {@code topic + "-value"}
   */
  @Override
  public String subjectName(final String topic, final boolean isKey, final Schema schema) {
    return topic + (isKey ? "-key" : "-value");
  }
}
