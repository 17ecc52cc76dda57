package dev.outpost.registry.serde;

import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.LruCache;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.RegistryServerException;
import dev.outpost.registry.SchemaNotFoundException;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.SchemaRegistryException;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deserializes records in Confluent's wire format into Avro specific records. The writer schema is
 * fetched from the registry by the id in the record's header; the reader schema is the target
 * class's, and Avro's schema resolution bridges them, so records written with an older compatible
 * schema read fine, with defaults for the fields they lack. A null record deserializes to null.
 *
 * <p>The target class is the one given to the constructor, else the one configured with {@code
 * specific.avro.key.type} / {@code specific.avro.value.type}, else the generated class named like
 * the writer schema. A {@link DatumReader} is built once per writer-schema id and cached; the
 * registry client caches schemas, so steady-state deserialization makes no registry call.
 *
 * <p>Every failure is a {@link SerializationException} naming the topic and what was wrong: a
 * truncated header, a wrong magic byte, an unknown schema id, an unreachable registry, a writer
 * schema that cannot be resolved into the reader schema, or a truncated or malformed Avro body.
 * Thread-safe once configured.
 *
 * @param <T> the generated record class
 */
public final class SpecificAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  private static final Logger LOG = LoggerFactory.getLogger(SpecificAvroDeserializer.class);

  private static final int READER_CACHE_CAPACITY = 1000;

  private volatile SchemaRegistryClient client;
  private volatile boolean ownsClient;
  private volatile Class<? extends T> targetType;
  private final LruCache<Integer, Reader<T>> readers = new LruCache<>(READER_CACHE_CAPACITY);

  /**
   * How records of one schema id are read.
   *
   * @param datumReader reads them into the target class
   * @param readerSchema the target class's schema
   * @param sameSchema true when the writer schema the id resolves to equals the reader's, so a
   *     record's body is its value's own encoding
   */
  private record Reader<T>(DatumReader<T> datumReader, Schema readerSchema, boolean sameSchema) {}

  /**
   * A deserializer that creates its registry client in {@link #configure(Map, boolean)} and takes
   * its target class from {@code specific.avro.value.type} (or {@code .key.type}) or the writer
   * schema's name.
   */
  public SpecificAvroDeserializer() {
    this.client = null;
    this.targetType = null;
  }

  /**
   * A deserializer that uses the given registry client; {@link #close()} leaves it open.
   *
   * @param client the registry client
   * @param targetType the generated class to read into
   */
  public SpecificAvroDeserializer(final SchemaRegistryClient client, final Class<T> targetType) {
    this.client = Objects.requireNonNull(client, "client");
    this.targetType = Objects.requireNonNull(targetType, "targetType");
  }

  /**
   * For {@link SpecificAvroSerde}: a deserializer on a shared client, whose target class may be
   * left to configuration or the writer schema.
   *
   * @param client the registry client, which the deserializer does not close
   * @param targetType the class to read into, or null
   * @param <T> the generated record class
   * @return the deserializer
   */
  static <T extends SpecificRecord> SpecificAvroDeserializer<T> sharing(
      final SchemaRegistryClient client, final Class<T> targetType) {
    final SpecificAvroDeserializer<T> deserializer = new SpecificAvroDeserializer<>();
    deserializer.client = Objects.requireNonNull(client, "client");
    deserializer.targetType = targetType;
    return deserializer;
  }

  /**
   * Reads the serde settings and, when no client was given, creates an {@link
   * HttpSchemaRegistryClient} from the registry settings in the same map.
   *
   * @param configs the Kafka client configuration
   * @param isKey true when this deserializer reads record keys
   * @throws IllegalArgumentException naming the key and the value of an invalid setting
   */
  @Override
  @SuppressWarnings("unchecked")
  public void configure(final Map<String, ?> configs, final boolean isKey) {
    final AvroSerdeConfig config = AvroSerdeConfig.from(configs, isKey);
    if (targetType == null && config.specificType() != null) {
      // Unchecked by nature: the class comes from configuration, as Kafka's own serdes do.
      targetType = (Class<? extends T>) config.specificType();
    }
    if (client == null) {
      client = new HttpSchemaRegistryClient(RegistryClientConfig.fromProperties(configs));
      ownsClient = true;
    }
    readers.clear();
  }

  /**
   * @param topic the topic the record came from
   * @param data the record's bytes, or null
   * @return the record, or null for null bytes
   * @throws SerializationException naming the topic and what was wrong
   */
  @Override
  public T deserialize(final String topic, final byte[] data) {
    if (data == null) {
      return null;
    }
    final SchemaRegistryClient registry = registry();
    final WireFormat.Header header = WireFormat.parse(topic, data);
    final Reader<T> reader = reader(registry, topic, header.schemaId());
    final BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(data, header.payloadOffset(), header.payloadLength(), null);
    return read(topic, header, reader, decoder);
  }

  /**
   * Reads a record as {@link #deserialize(String, byte[])} does, and keeps the Avro body it was
   * read from, so a record that carries this one can be written without encoding it again (see
   * {@link EncodedRecord#isOwnEncoding()}).
   *
   * @param topic the topic the record came from
   * @param data the record's bytes, or null
   * @return the record with its body, or null for null bytes; the body is {@code data}'s own
   *     array, which the caller must leave unchanged
   * @throws SerializationException as {@link #deserialize(String, byte[])} does
   */
  public EncodedRecord<T> deserializeEncoded(final String topic, final byte[] data) {
    if (data == null) {
      return null;
    }
    final SchemaRegistryClient registry = registry();
    final WireFormat.Header header = WireFormat.parse(topic, data);
    final Reader<T> reader = reader(registry, topic, header.schemaId());
    final BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(data, header.payloadOffset(), header.payloadLength(), null);
    final T value = read(topic, header, reader, decoder);
    final boolean whole;
    try {
      whole = decoder.isEnd();
    } catch (final IOException e) {
      throw new WireFormatException(
          WireFormatException.Problem.MALFORMED_BODY,
          prefix(topic) + "malformed Avro body for schema id " + header.schemaId() + ": " + e,
          e);
    }
    return new EncodedRecord<>(
        value,
        header.schemaId(),
        reader.readerSchema(),
        reader.sameSchema() && whole,
        data,
        header.payloadOffset(),
        header.payloadLength());
  }

  private SchemaRegistryClient registry() {
    final SchemaRegistryClient registry = client;
    if (registry == null) {
      throw new IllegalStateException(
          "SpecificAvroDeserializer has no registry client: call configure() with '"
              + AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG
              + "' or pass a client to the constructor");
    }
    return registry;
  }

  private Reader<T> reader(final SchemaRegistryClient registry, final String topic, final int id) {
    return readers.computeIfAbsent(id, schemaId -> newReader(registry, topic, schemaId));
  }

  private T read(
      final String topic,
      final WireFormat.Header header,
      final Reader<T> reader,
      final BinaryDecoder decoder) {
    final int id = header.schemaId();
    try {
      return reader.datumReader().read(null, decoder);
    } catch (final EOFException e) {
      throw new WireFormatException(
          WireFormatException.Problem.TRUNCATED_BODY,
          prefix(topic)
              + "Avro body truncated: the "
              + header.payloadLength()
              + " bytes after the header end before a record of schema id "
              + id
              + " is complete",
          e);
    } catch (final IOException | RuntimeException e) {
      throw new WireFormatException(
          WireFormatException.Problem.MALFORMED_BODY,
          prefix(topic) + "malformed Avro body for schema id " + id + ": " + e,
          e);
    }
  }

  /** Closes the registry client if this deserializer created it. */
  @Override
  public void close() {
    final SchemaRegistryClient registry = client;
    if (ownsClient && registry != null) {
      registry.close();
    }
  }

  private Reader<T> newReader(
      final SchemaRegistryClient registry, final String topic, final int id) {
    final Schema writer = writerSchema(registry, topic, id);
    final Class<? extends T> type = targetType != null ? targetType : classFor(topic, id, writer);
    final Schema reader = SpecificData.getForClass(type).getSchema(type);
    final SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (compatibility.getType() != SchemaCompatibilityType.COMPATIBLE) {
      final StringBuilder reasons = new StringBuilder();
      for (final SchemaCompatibility.Incompatibility incompatibility :
          compatibility.getResult().getIncompatibilities()) {
        if (reasons.length() > 0) {
          reasons.append("; ");
        }
        reasons
            .append(incompatibility.getType())
            .append(" at '")
            .append(incompatibility.getLocation())
            .append("': ")
            .append(incompatibility.getMessage());
      }
      throw new WireFormatException(
          WireFormatException.Problem.INCOMPATIBLE_SCHEMA,
          prefix(topic)
              + "incompatible writer schema: schema id "
              + id
              + " ("
              + writer.getFullName()
              + ") cannot be resolved into the reader schema of "
              + type.getName()
              + ": "
              + reasons,
          null);
    }
    LOG.debug(
        "Reading schema id {} ({}) on topic {} as {}",
        id,
        writer.getFullName(),
        topic,
        type.getName());
    return new Reader<>(
        new SpecificDatumReader<>(writer, reader, ReaderModel.forClass(type)),
        reader,
        writer.equals(reader));
  }

  private static Schema writerSchema(
      final SchemaRegistryClient registry, final String topic, final int id) {
    try {
      return registry.getById(id);
    } catch (final SchemaNotFoundException e) {
      throw new WireFormatException(
          WireFormatException.Problem.UNKNOWN_SCHEMA_ID,
          prefix(topic)
              + "unknown schema id "
              + id
              + ": the registry has no such schema ("
              + e.getMessage()
              + ")",
          e);
    } catch (final RegistryServerException e) {
      throw new WireFormatException(
          WireFormatException.Problem.REGISTRY_UNAVAILABLE,
          prefix(topic)
              + "schema registry unavailable while fetching schema id "
              + id
              + ": "
              + e.getMessage(),
          e);
    } catch (final SchemaRegistryException e) {
      throw new WireFormatException(
          WireFormatException.Problem.REGISTRY_UNAVAILABLE,
          prefix(topic) + "cannot fetch schema id " + id + ": " + e.getMessage(),
          e);
    }
  }

  @SuppressWarnings("unchecked")
  private Class<? extends T> classFor(final String topic, final int id, final Schema writer) {
    Class<?> found = null;
    if (writer.getType() == Schema.Type.RECORD) {
      try {
        // Not initialized unless it proves to be a generated record class.
        found = Class.forName(SpecificData.getClassName(writer), false, classLoader());
      } catch (final ClassNotFoundException e) {
        LOG.debug("No class {} for schema id {}", writer.getFullName(), id);
      }
    }
    if (found == null || !SpecificRecord.class.isAssignableFrom(found)) {
      throw new WireFormatException(
          WireFormatException.Problem.NO_READER_CLASS,
          prefix(topic)
              + "no generated class "
              + writer.getFullName()
              + " on the classpath for schema id "
              + id
              + "; set '"
              + AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG
              + "' (or '"
              + AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE_CONFIG
              + "') or pass the class to the constructor",
          null);
    }
    // Unchecked by nature: the class is chosen by the data, as Confluent's deserializer does.
    return (Class<? extends T>) found;
  }

  private static ClassLoader classLoader() {
    final ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : SpecificAvroDeserializer.class.getClassLoader();
  }

  private static String prefix(final String topic) {
    return "topic '" + topic + "': ";
  }
}
