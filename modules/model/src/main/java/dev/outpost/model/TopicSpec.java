package dev.outpost.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One topic of the {@link Topics} catalog: its name, the Java types of its keys and values, and
 * the defaults it is created with.
 *
 * <p>Replication is not part of the spec: it depends on the cluster (one broker in the demo, three
 * in production) and is chosen where topics are created.
 *
 * @param name the topic name, lower-case, dot-separated and versioned
 * @param keyType the Java type of record keys
 * @param valueType the Java type of record values
 * @param partitions default partition count
 * @param cleanupPolicy Kafka's cleanup policy for the topic
 * @param <K> key type
 * @param <V> value type
 * @see Topics
 */
public record TopicSpec<K, V>(
    String name,
    Class<K> keyType,
    Class<V> valueType,
    int partitions,
    CleanupPolicy cleanupPolicy) {

  private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  /** Checks the spec is one Kafka can create. */
  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
    Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
    if (!LEGAL_NAME.matcher(name).matches() || ".".equals(name) || "..".equals(name)) {
      throw new IllegalArgumentException("Illegal Kafka topic name: '" + name + "'");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "Topic " + name + " needs at least one partition, got " + partitions);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
