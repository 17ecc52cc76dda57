package dev.outpost.clients;

import static dev.outpost.clients.internal.SettingValues.refused;
import static dev.outpost.clients.internal.SettingValues.text;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The settings every Outpost producer runs with, in one place: each producer's properties go
 * through {@link #safe(Map)} before the producer is made.
 *
 * <ul>
 *   <li>{@code acks=all}: a write is acknowledged once every in-sync replica has it (at least the
 *       topic's {@code min.insync.replicas}), so a broker lost right after the acknowledgement
 *       loses nothing that was acknowledged.
 *   <li>{@code enable.idempotence=true}: a send the producer retries is written once, in order,
 *       never twice and never behind a later one. Kafka turns it on by default too, but only while
 *       no other setting conflicts: a stray {@code acks=1}, {@code retries=0} or {@code
 *       max.in.flight.requests.per.connection} above 5 silently turns the default off. Set
 *       explicitly, Kafka refuses those settings instead (its {@code ConfigException} names the
 *       one), and a transactional producer needs it anyway.
 * </ul>
 *
 * <p>These two are all every producer of the project agreed on. Everything else a producer sets
 * for its own reason stays its own and is passed in with the properties, where it wins: a {@code
 * transactional.id} (the replay, the registry's schema store), {@code linger.ms}, {@code
 * batch.size} and {@code compression.type} (publishers and benchmarks), {@code max.request.size}
 * (a writer of large state), timeouts and {@code client.id}.
 *
 * <p>A property that asks for less than the two settings, {@code acks} of 0 or 1 or {@code
 * enable.idempotence=false}, is refused, not overwritten: it is someone's explicit request (often
 * from a configuration file every client shares) that this producer will not honour, and saying so
 * at start-up beats a producer that quietly does something other than what its configuration says.
 *
 * @see ConsumerSettings
 */
public final class ProducerSettings {

  /** The settings {@link #safe(Map)} adds, by Kafka's names. */
  public static final Map<String, Object> SAFE_DEFAULTS =
      Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);

  private ProducerSettings() {}

  /**
   * @param kafkaProperties a producer's properties: {@code bootstrap.servers}, security, and any
   *     setting the caller chose on purpose
   * @return a new, mutable map: the same properties with {@code acks=all} and {@code
   *     enable.idempotence=true}
   * @throws IllegalArgumentException naming the setting and its value when the properties ask for
   *     {@code acks} other than {@code all} (or its alias {@code -1}) or for {@code
   *     enable.idempotence=false}
   */
  public static Map<String, Object> safe(final Map<String, ?> kafkaProperties) {
    Objects.requireNonNull(kafkaProperties, "kafkaProperties");
    final Object acks = kafkaProperties.get(ProducerConfig.ACKS_CONFIG);
    if (acks != null && !isAll(acks)) {
      throw refused(ProducerConfig.ACKS_CONFIG, acks, "a write must reach every in-sync replica before it counts (acks=all)");
    }
    final Object idempotence = kafkaProperties.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
    if (idempotence != null && !"true".equals(text(idempotence))) {
      throw refused(
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotence, "a retried send must be written once and in order (enable.idempotence=true)");
    }
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.putAll(SAFE_DEFAULTS);
    return props;
  }

  private static boolean isAll(final Object acks) {
    final String value = text(acks);
    return "all".equals(value) || "-1".equals(value);
  }
}
