package dev.outpost.clients;

import static dev.outpost.clients.internal.SettingValues.refused;
import static dev.outpost.clients.internal.SettingValues.text;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;

/**
 * The settings every Outpost consumer runs with, the counterpart of {@link ProducerSettings}: each
 * consumer's properties go through {@link #safe(Map, IsolationLevel)} before the consumer is made.
 *
 * <ul>
 *   <li>{@code enable.auto.commit=false}: a consumer in a group commits what it has handled, after
 *       handling it (a subscriber after its output took the alerts, the dispatcher once every
 *       delivery of a record is done), never on a timer that may run ahead of its work. A reader
 *       outside any group has nothing to commit either way. A property asking for {@code true} is
 *       refused, as {@link ProducerSettings} refuses a weaker {@code acks}.
 *   <li>{@code isolation.level} as the caller names it, never defaulted: read_committed stops at
 *       the last stable offset and skips aborted records, which readers of transactional output
 *       (the pipeline's topics, the replay's, the schema store) need; read_uncommitted reads to the
 *       high watermark. The level named here replaces any in the properties: the code that reads
 *       knows what it needs, and a configuration file's {@code isolation.level}, which every
 *       client of it shares, is no reason to read otherwise.
 * </ul>
 *
 * <p>Everything else in the properties is kept: {@code group.id}, {@code auto.offset.reset},
 * {@code client.id}, {@code max.poll.records}, timeouts, security.
 *
 * @see TopicReader
 */
public final class ConsumerSettings {

  private ConsumerSettings() {}

  /**
   * @param kafkaProperties a consumer's properties: {@code bootstrap.servers}, security, and any
   *     setting the caller chose on purpose
   * @param isolationLevel read_committed or read_uncommitted; no default, see the class comment
   * @return a new, mutable map: the same properties with {@code enable.auto.commit=false} and the
   *     isolation level
   * @throws IllegalArgumentException naming the setting when the properties ask for {@code
   *     enable.auto.commit=true}
   */
  public static Map<String, Object> safe(final Map<String, ?> kafkaProperties, final IsolationLevel isolationLevel) {
    Objects.requireNonNull(kafkaProperties, "kafkaProperties");
    Objects.requireNonNull(isolationLevel, "isolationLevel: choose READ_COMMITTED or READ_UNCOMMITTED");
    final Object autoCommit = kafkaProperties.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
    if (autoCommit != null && !"false".equals(text(autoCommit))) {
      throw refused(
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, autoCommit, "offsets are committed after the records were handled, not on a timer");
    }
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel.name().toLowerCase(Locale.ROOT));
    return props;
  }
}
