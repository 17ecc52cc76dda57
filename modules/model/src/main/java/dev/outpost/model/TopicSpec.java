package dev.outpost.model;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * @param retention how long records are kept ({@code retention.ms}), or null for the broker's
 *     default; set where losing old records would lose data, such as the dispatcher's parked
 *     alerts
 * @param <K> key type
 * @param <V> value type
 * @see Topics
 */
public record TopicSpec<K, V>(
    String name,
    Class<K> keyType,
    Class<V> valueType,
    int partitions,
    CleanupPolicy cleanupPolicy,
    Duration retention) {

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
    if (retention != null && (retention.isNegative() || retention.isZero())) {
      throw new IllegalArgumentException("Topic " + name + " needs a positive retention, got " + retention);
    }
  }

  /**
   * A topic kept for the broker's default retention.
   *
   * @param name the topic name
   * @param keyType the Java type of record keys
   * @param valueType the Java type of record values
   * @param partitions default partition count
   * @param cleanupPolicy Kafka's cleanup policy for the topic
   */
  public TopicSpec(
      final String name,
      final Class<K> keyType,
      final Class<V> valueType,
      final int partitions,
      final CleanupPolicy cleanupPolicy) {
    this(name, keyType, valueType, partitions, cleanupPolicy, null);
  }

  /**
   * @return the topic settings the spec fixes, as Kafka names them: {@code cleanup.policy}, and
   *     {@code retention.ms} when the spec has a retention
   */
  public Map<String, String> configs() {
    final Map<String, String> configs = new LinkedHashMap<>();
    configs.put("cleanup.policy", cleanupPolicy.configValue());
    if (retention != null) {
      configs.put("retention.ms", Long.toString(retention.toMillis()));
    }
    return configs;
  }

  @Override
  public String toString() {
    return name;
  }
}
