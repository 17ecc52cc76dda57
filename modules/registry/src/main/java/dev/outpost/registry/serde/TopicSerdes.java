package dev.outpost.registry.serde;

import dev.outpost.clients.ConsumerSettings;
import dev.outpost.clients.ProducerSettings;
import dev.outpost.clients.TopicReader;
import dev.outpost.model.TopicSpec;
import dev.outpost.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes, producers, consumers and readers of a topic, made from its entry in the topic catalog:
 * the {@link TopicSpec} says what its keys and values are, and that decides how they are written.
 *
 * <ul>
 *   <li>{@link String}: Kafka's UTF-8 string serde (item ids, subscription ids, JSON state).
 *   <li>{@code byte[]}: Kafka's byte-array serde, for records passed on as they are (the
 *       dead-letter topic, the registry's own topic, a dispatcher's retries).
 *   <li>A generated Avro class: a {@link SpecificAvroSerde} reading into that class, on the
 *       registry client given, with subjects {@code <topic>-key} or {@code <topic>-value}.
 * </ul>
 *
 * <p>Any other class fails with an {@link IllegalArgumentException} naming the topic and the class;
 * so does an Avro topic without a registry client. The registry client stays the caller's: closing
 * a serde, producer or consumer made here leaves it open.
 *
 * <p>Producers run with the {@link ProducerSettings}, consumers and readers with the {@link
 * ConsumerSettings}; both refuse properties that ask for less. Serde settings ({@code
 * auto.register.schemas}, subject strategies) are not read from the client properties: the
 * producers and consumers made here use the serdes' defaults, and only {@link #keySerde(TopicSpec,
 * SchemaRegistryClient, Map)} and {@link #valueSerde(TopicSpec, SchemaRegistryClient, Map)} take
 * serde settings, for the topology, whose registry settings configure them.
 *
 * @see dev.outpost.model.Topics
 */
public final class TopicSerdes {

  private TopicSerdes() {}

  /**
   * @param <K> the key type
   * @param <V> the value type
   * @param spec a topic of the catalog
   * @param registry the registry client an Avro key serde uses
   * @return the serde of the topic's keys, with the serde defaults
   * @throws IllegalArgumentException naming the topic and the class when no serde fits the key
   *     type
   */
  public static <K, V> Serde<K> keySerde(final TopicSpec<K, V> spec, final SchemaRegistryClient registry) {
    return keySerde(spec, registry, Map.of());
  }

  /**
   * @param <K> the key type
   * @param <V> the value type
   * @param spec a topic of the catalog
   * @param registry the registry client an Avro key serde uses
   * @param serdeConfig Avro serde settings, such as {@code auto.register.schemas}; other keys are
   *     ignored
   * @return the serde of the topic's keys, configured as a key serde
   * @throws IllegalArgumentException naming the topic and the class when no serde fits the key
   *     type, or naming the setting when one is invalid
   */
  public static <K, V> Serde<K> keySerde(
      final TopicSpec<K, V> spec, final SchemaRegistryClient registry, final Map<String, ?> serdeConfig) {
    Objects.requireNonNull(spec, "spec");
    return serde(spec, spec.keyType(), true, Objects.requireNonNull(registry, "registry"), serdeConfig);
  }

  /**
   * @param <K> the key type
   * @param <V> the value type
   * @param spec a topic of the catalog
   * @param registry the registry client an Avro value serde uses
   * @return the serde of the topic's values, with the serde defaults
   * @throws IllegalArgumentException naming the topic and the class when no serde fits the value
   *     type
   */
  public static <K, V> Serde<V> valueSerde(final TopicSpec<K, V> spec, final SchemaRegistryClient registry) {
    return valueSerde(spec, registry, Map.of());
  }

  /**
   * @param <K> the key type
   * @param <V> the value type
   * @param spec a topic of the catalog
   * @param registry the registry client an Avro value serde uses
   * @param serdeConfig Avro serde settings, such as {@code auto.register.schemas}; other keys are
   *     ignored
   * @return the serde of the topic's values, configured as a value serde
   * @throws IllegalArgumentException naming the topic and the class when no serde fits the value
   *     type, or naming the setting when one is invalid
   */
  public static <K, V> Serde<V> valueSerde(
      final TopicSpec<K, V> spec, final SchemaRegistryClient registry, final Map<String, ?> serdeConfig) {
    Objects.requireNonNull(spec, "spec");
    return serde(spec, spec.valueType(), false, Objects.requireNonNull(registry, "registry"), serdeConfig);
  }

  /**
   * A producer of the topic's key and value types, with the {@link ProducerSettings}.
   *
   * @param <K> the key type
   * @param <V> the value type
   * @param spec a topic of the catalog; the producer may write to any topic of the same types
   * @param kafkaProperties client properties with {@code bootstrap.servers}, and any producer
   *     setting the caller chose on purpose (a {@code transactional.id}, {@code linger.ms}, {@code
   *     max.request.size}...)
   * @param registry the registry client the Avro serdes use
   * @return the producer, to be closed
   * @throws IllegalArgumentException naming the topic and the class when no serde fits a type, or
   *     naming the setting when the properties ask for less than the producer settings
   */
  public static <K, V> KafkaProducer<K, V> producer(
      final TopicSpec<K, V> spec, final Map<String, ?> kafkaProperties, final SchemaRegistryClient registry) {
    return newProducer(spec, kafkaProperties, Objects.requireNonNull(registry, "registry"));
  }

  /**
   * A producer for a topic of strings and bytes, which needs no registry.
   *
   * @param <K> the key type
   * @param <V> the value type
   * @param spec a topic of the catalog whose keys and values are not Avro records
   * @param kafkaProperties as for {@link #producer(TopicSpec, Map, SchemaRegistryClient)}
   * @return the producer, to be closed
   * @throws IllegalArgumentException naming the topic and the class when a type is an Avro record
   *     or has no serde, or naming the setting when the properties ask for less than the producer
   *     settings
   */
  public static <K, V> KafkaProducer<K, V> producer(final TopicSpec<K, V> spec, final Map<String, ?> kafkaProperties) {
    return newProducer(spec, kafkaProperties, null);
  }

  /**
   * A consumer of the topic's key and value types, with the {@link ConsumerSettings}. It is not
   * subscribed: the caller subscribes or assigns it.
   *
   * @param <K> the key type
   * @param <V> the value type
   * @param spec a topic of the catalog; the consumer may read any topic of the same types
   * @param kafkaProperties client properties with {@code bootstrap.servers}, and any consumer
   *     setting the caller chose ({@code group.id}, {@code auto.offset.reset}...)
   * @param isolationLevel read_committed or read_uncommitted, never defaulted
   * @param registry the registry client the Avro serdes use
   * @return the consumer, to be closed
   * @throws IllegalArgumentException naming the topic and the class when no serde fits a type, or
   *     naming the setting when the properties ask for auto-commit
   */
  public static <K, V> KafkaConsumer<K, V> consumer(
      final TopicSpec<K, V> spec,
      final Map<String, ?> kafkaProperties,
      final IsolationLevel isolationLevel,
      final SchemaRegistryClient registry) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(registry, "registry");
    final Map<String, Object> props = ConsumerSettings.safe(kafkaProperties, isolationLevel);
    return new KafkaConsumer<>(
        props, serde(spec, spec.keyType(), true, registry, Map.of()).deserializer(), serde(spec, spec.valueType(), false, registry, Map.of()).deserializer());
  }

  /**
   * A {@link TopicReader} of the topic's key and value types.
   *
   * @param <K> the key type
   * @param <V> the value type
   * @param spec a topic of the catalog
   * @param kafkaProperties client properties with {@code bootstrap.servers}; a {@code group.id} is
   *     kept, for reading from committed offsets
   * @param isolationLevel read_committed or read_uncommitted, never defaulted
   * @param registry the registry client the Avro serdes use
   * @return the reader, to be closed
   * @throws IllegalArgumentException naming the topic and the class when no serde fits a type, or
   *     naming the setting when the properties ask for auto-commit
   */
  public static <K, V> TopicReader<K, V> reader(
      final TopicSpec<K, V> spec,
      final Map<String, ?> kafkaProperties,
      final IsolationLevel isolationLevel,
      final SchemaRegistryClient registry) {
    return newReader(spec, kafkaProperties, isolationLevel, Objects.requireNonNull(registry, "registry"));
  }

  /**
   * A {@link TopicReader} for a topic of strings and bytes, which needs no registry.
   *
   * @param <K> the key type
   * @param <V> the value type
   * @param spec a topic of the catalog whose keys and values are not Avro records
   * @param kafkaProperties as for {@link #reader(TopicSpec, Map, IsolationLevel,
   *     SchemaRegistryClient)}
   * @param isolationLevel read_committed or read_uncommitted, never defaulted
   * @return the reader, to be closed
   * @throws IllegalArgumentException naming the topic and the class when a type is an Avro record
   *     or has no serde, or naming the setting when the properties ask for auto-commit
   */
  public static <K, V> TopicReader<K, V> reader(
      final TopicSpec<K, V> spec, final Map<String, ?> kafkaProperties, final IsolationLevel isolationLevel) {
    return newReader(spec, kafkaProperties, isolationLevel, null);
  }

  private static <K, V> KafkaProducer<K, V> newProducer(
      final TopicSpec<K, V> spec, final Map<String, ?> kafkaProperties, final SchemaRegistryClient registry) {
    Objects.requireNonNull(spec, "spec");
    final Map<String, Object> props = ProducerSettings.safe(kafkaProperties);
    return new KafkaProducer<>(
        props, serde(spec, spec.keyType(), true, registry, Map.of()).serializer(), serde(spec, spec.valueType(), false, registry, Map.of()).serializer());
  }

  private static <K, V> TopicReader<K, V> newReader(
      final TopicSpec<K, V> spec,
      final Map<String, ?> kafkaProperties,
      final IsolationLevel isolationLevel,
      final SchemaRegistryClient registry) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(kafkaProperties, "kafkaProperties");
    return TopicReader.create(
        new HashMap<>(kafkaProperties),
        isolationLevel,
        serde(spec, spec.keyType(), true, registry, Map.of()).deserializer(),
        serde(spec, spec.valueType(), false, registry, Map.of()).deserializer());
  }

  /**
   * The one choice of serde by class. The casts are safe: {@code type} is the class object of
   * {@code T} itself, so a {@code T} whose class is {@code String.class} is a {@link String}.
   */
  @SuppressWarnings("unchecked")
  private static <T> Serde<T> serde(
      final TopicSpec<?, ?> spec,
      final Class<T> type,
      final boolean isKey,
      final SchemaRegistryClient registry,
      final Map<String, ?> serdeConfig) {
    Objects.requireNonNull(serdeConfig, "serdeConfig");
    if (type == String.class) {
      return (Serde<T>) Serdes.String();
    }
    if (type == byte[].class) {
      return (Serde<T>) Serdes.ByteArray();
    }
    if (SpecificRecord.class.isAssignableFrom(type)) {
      if (registry == null) {
        throw new IllegalArgumentException(
            "Topic " + spec.name() + ": " + side(isKey) + " of " + type.getName() + " are Avro records and need a schema registry client");
      }
      final Serde<? extends SpecificRecord> avro = avro(type.asSubclass(SpecificRecord.class), registry);
      avro.configure(serdeConfig, isKey);
      return (Serde<T>) avro;
    }
    throw new IllegalArgumentException(
        "Topic "
            + spec.name()
            + ": no serde for "
            + side(isKey)
            + " of "
            + type.getName()
            + "; a topic's keys and values are String, byte[] or a generated Avro class");
  }

  private static <R extends SpecificRecord> SpecificAvroSerde<R> avro(final Class<R> type, final SchemaRegistryClient registry) {
    return new SpecificAvroSerde<>(registry, type);
  }

  private static String side(final boolean isKey) {
    return isKey ? "keys" : "values";
  }
}
