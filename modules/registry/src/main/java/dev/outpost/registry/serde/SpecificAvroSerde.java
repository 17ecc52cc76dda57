package dev.outpost.registry.serde;

import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A {@link Serde} of a {@link SpecificAvroSerializer} and a {@link SpecificAvroDeserializer} that
 * share one registry client, and so one cache.
 *
 * <p>Build it with a {@link SchemaRegistryClient} and the target class (the caller keeps and
 * closes the client), or with no argument for Kafka Streams' {@code default.*.serde} settings and
 * then {@link #configure(Map, boolean)}, which creates an {@link HttpSchemaRegistryClient} that
 * {@link #close()} closes.
 *
 * @param <T> the generated record class
 */
public final class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

  private final SchemaRegistryClient injected;
  private final Class<T> targetType;
  private volatile SchemaRegistryClient owned;
  private volatile SpecificAvroSerializer<T> serializer;
  private volatile SpecificAvroDeserializer<T> deserializer;

  /** A serde that creates its registry client in {@link #configure(Map, boolean)}. */
  public SpecificAvroSerde() {
    this.injected = null;
    this.targetType = null;
    this.serializer = new SpecificAvroSerializer<>();
    this.deserializer = new SpecificAvroDeserializer<>();
  }

  /**
   * A serde on the given registry client; {@link #close()} leaves it open.
   *
   * @param client the registry client
   * @param targetType the generated class to read into
   */
  public SpecificAvroSerde(final SchemaRegistryClient client, final Class<T> targetType) {
    this.injected = Objects.requireNonNull(client, "client");
    this.targetType = Objects.requireNonNull(targetType, "targetType");
    this.serializer = new SpecificAvroSerializer<>(client);
    this.deserializer = new SpecificAvroDeserializer<>(client, targetType);
  }

  /**
   * Configures both halves; without an injected client, first creates one from the registry
   * settings in the map, shared by both.
   *
   * @param configs the Kafka client configuration
   * @param isKey true for a key serde
   * @throws IllegalArgumentException naming the key and the value of an invalid setting
   */
  @Override
  public void configure(final Map<String, ?> configs, final boolean isKey) {
    if (injected == null) {
      // Validate the serde settings before opening anything.
      AvroSerdeConfig.from(configs, isKey);
      final SchemaRegistryClient previous = owned;
      final SchemaRegistryClient shared =
          new HttpSchemaRegistryClient(RegistryClientConfig.fromProperties(configs));
      owned = shared;
      serializer = new SpecificAvroSerializer<>(shared);
      deserializer = SpecificAvroDeserializer.sharing(shared, targetType);
      if (previous != null) {
        previous.close();
      }
    }
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  /**
   * @return the serializer half
   */
  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  /**
   * @return the deserializer half
   */
  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }

  /** Closes both halves, and the registry client if this serde created it. */
  @Override
  public void close() {
    serializer.close();
    deserializer.close();
    final SchemaRegistryClient client = owned;
    if (client != null) {
      client.close();
    }
  }
}
