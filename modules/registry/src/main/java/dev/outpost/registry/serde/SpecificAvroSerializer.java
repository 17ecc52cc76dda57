package dev.outpost.registry.serde;

import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.IncompatibleSchemaException;
import dev.outpost.registry.LruCache;
import dev.outpost.registry.RegisteredSchema;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.RegistryServerException;
import dev.outpost.registry.SchemaNotFoundException;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.SchemaRegistryException;
import dev.outpost.registry.SubjectNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serializes Avro specific records in Confluent's wire format: {@link WireFormat#MAGIC_BYTE}, the
 * 4-byte big-endian schema id, then the record's Avro binary encoding. A null record serializes to
 * null (a tombstone).
 *
 * <p>The schema id comes from the registry under the subject the {@link SubjectNameStrategy}
 * names: registered on first use ({@code auto.register.schemas=true}, the default), looked up
 * ({@code auto.register.schemas=false}), or the subject's latest version ({@code
 * use.latest.version=true}, fetched once per subject for the life of the serializer). The registry
 * client caches ids, so steady-state serialization makes no registry call; the serializer also
 * keeps, per topic, the id and writer its records' schema resolved to, so a record of the schema
 * last written to its topic goes straight to the encoder.
 *
 * <p>Build it with a {@link SchemaRegistryClient} (which the caller keeps and closes), or with no
 * argument and then {@link #configure(Map, boolean)} with {@code schema.registry.url} and friends
 * (see {@link AvroSerdeConfig} and {@link RegistryClientConfig}); then it creates and closes its
 * own {@link HttpSchemaRegistryClient}. Without {@code configure} it serializes values with the
 * defaults. Thread-safe once configured.
 *
 * @param <T> the generated record class
 */
public final class SpecificAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

  private static final Logger LOG = LoggerFactory.getLogger(SpecificAvroSerializer.class);

  private static final int WRITER_CACHE_CAPACITY = 64;

  private volatile SchemaRegistryClient client;
  private volatile boolean ownsClient;
  private volatile AvroSerdeConfig config = AvroSerdeConfig.defaults(false);
  private final LruCache<Schema, DatumWriter<Object>> writers =
      new LruCache<>(WRITER_CACHE_CAPACITY);
  private final LruCache<String, RegisteredSchema> latestBySubject =
      new LruCache<>(WRITER_CACHE_CAPACITY);
  private final LruCache<Schema, Splicer> splicers = new LruCache<>(WRITER_CACHE_CAPACITY);
  private volatile Splicer lastSplicer;

  /**
   * The last schema each topic's records were written with, and what it resolved to. Checked by
   * identity before anything else: it spares the subject name, two cache lookups under a lock and
   * the key objects they allocate, on every record.
   */
  private final ConcurrentHashMap<String, Resolved> resolvedByTopic = new ConcurrentHashMap<>();

  /**
   * @param schema the schema, compared by identity (a generated class always gives the same one)
   * @param settings the settings it was resolved under, compared by identity
   * @param id the schema id it was written with
   * @param writer the writer of its records
   */
  private record Resolved(
      Schema schema, AvroSerdeConfig settings, int id, DatumWriter<Object> writer) {}

  /** A serializer that creates its registry client in {@link #configure(Map, boolean)}. */
  public SpecificAvroSerializer() {
    this.client = null;
  }

  /**
   * A serializer that uses the given registry client; {@link #close()} leaves it open.
   *
   * @param client the registry client
   */
  public SpecificAvroSerializer(final SchemaRegistryClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /**
   * Reads the serde settings and, when no client was given, creates an {@link
   * HttpSchemaRegistryClient} from the registry settings in the same map.
   *
   * @param configs the Kafka client configuration
   * @param isKey true when this serializer writes record keys
   * @throws IllegalArgumentException naming the key and the value of an invalid setting
   */
  @Override
  public void configure(final Map<String, ?> configs, final boolean isKey) {
    config = AvroSerdeConfig.from(configs, isKey);
    if (client == null) {
      client = new HttpSchemaRegistryClient(RegistryClientConfig.fromProperties(configs));
      ownsClient = true;
    }
  }

  /**
   * @param topic the topic the record goes to
   * @param data the record, or null
   * @return the record in the wire format, or null for a null record
   * @throws SerializationException naming the topic when the schema cannot be registered or found,
   *     the registry cannot be reached, or the record cannot be encoded
   */
  @Override
  public byte[] serialize(final String topic, final T data) {
    if (data == null) {
      return null;
    }
    final SchemaRegistryClient registry = registry();
    final AvroSerdeConfig settings = config;
    final Schema schema = data.getSchema();
    final Resolved known = resolvedByTopic.get(topic);
    if (known != null && known.schema() == schema && known.settings() == settings) {
      return encode(topic, known.id(), schema, data, known.writer());
    }
    if (settings.useLatestVersion()) {
      return serializeAsLatest(
          registry,
          topic,
          settings.subjectNameStrategy().subjectName(topic, settings.isKey(), schema),
          schema,
          data);
    }
    final Resolved resolved = resolve(registry, settings, topic, schema, data);
    return encode(topic, resolved.id(), schema, data, resolved.writer());
  }

  /**
   * Serializes a record whose first field holds a record that was read from the wire, writing
   * that record's body as it arrived instead of encoding it again. Avro encodes a record as its
   * fields one after another, so the result is the same bytes as {@link #serialize(String,
   * SpecificRecord)} gives whenever the body is the first field's own encoding: the field holds
   * {@code firstField}'s value itself (not a copy or a replacement), and that value was read from
   * a body written with exactly the schema the field has here ({@link
   * EncodedRecord#isOwnEncoding()}, and the reader schema equal to the field's). Otherwise, or
   * when records are written as a subject's latest version, the record is encoded whole, as
   * {@link #serialize(String, SpecificRecord)} does.
   *
   * @param topic the topic the record goes to
   * @param data the record, or null
   * @param firstField what its first field was read from, or null
   * @return the record in the wire format, or null for a null record
   * @throws SerializationException as {@link #serialize(String, SpecificRecord)} does
   */
  public byte[] serialize(final String topic, final T data, final EncodedRecord<?> firstField) {
    if (data == null || firstField == null || config.useLatestVersion()) {
      return serialize(topic, data);
    }
    final Schema schema = data.getSchema();
    final Splicer splicer = splicer(schema, data);
    if (!splicer.canSplice(data, firstField)) {
      return serialize(topic, data);
    }
    final SchemaRegistryClient registry = registry();
    final AvroSerdeConfig settings = config;
    Resolved resolved = resolvedByTopic.get(topic);
    if (resolved == null || resolved.schema() != schema || resolved.settings() != settings) {
      resolved = resolve(registry, settings, topic, schema, data);
    }
    return encode(topic, resolved.id(), schema, data, splicer, firstField);
  }

  private SchemaRegistryClient registry() {
    final SchemaRegistryClient registry = client;
    if (registry == null) {
      throw new IllegalStateException(
          "SpecificAvroSerializer has no registry client: call configure() with '"
              + AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG
              + "' or pass a client to the constructor");
    }
    return registry;
  }

  /**
   * Finds the id a record's schema is written with under its topic's subject (registering it or
   * looking it up), and remembers it for the topic.
   */
  private Resolved resolve(
      final SchemaRegistryClient registry,
      final AvroSerdeConfig settings,
      final String topic,
      final Schema schema,
      final T data) {
    final String subject =
        settings.subjectNameStrategy().subjectName(topic, settings.isKey(), schema);
    final int id = resolveId(registry, settings, topic, subject, schema);
    final DatumWriter<Object> writer = specificWriter(schema, data);
    if (resolvedByTopic.size() >= WRITER_CACHE_CAPACITY) {
      // More topics than a pipeline writes: start over rather than grow without bound.
      resolvedByTopic.clear();
    }
    final Resolved resolved = new Resolved(schema, settings, id, writer);
    resolvedByTopic.put(topic, resolved);
    return resolved;
  }

  /** Closes the registry client if this serializer created it. */
  @Override
  public void close() {
    final SchemaRegistryClient registry = client;
    if (ownsClient && registry != null) {
      registry.close();
    }
  }

  private int resolveId(
      final SchemaRegistryClient registry,
      final AvroSerdeConfig settings,
      final String topic,
      final String subject,
      final Schema schema) {
    try {
      if (settings.autoRegisterSchemas()) {
        return registry.register(subject, schema);
      }
      return registry.lookup(subject, schema).id();
    } catch (final SubjectNotFoundException | SchemaNotFoundException e) {
      throw new SerializationException(
          prefix(topic)
              + "schema "
              + schema.getFullName()
              + " is not registered under subject '"
              + subject
              + "' and "
              + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG
              + " is false; register it first ("
              + e.getMessage()
              + ")",
          e);
    } catch (final IncompatibleSchemaException e) {
      throw new SerializationException(
          prefix(topic)
              + "schema "
              + schema.getFullName()
              + " is incompatible with subject '"
              + subject
              + "': "
              + e.getMessage(),
          e);
    } catch (final RegistryServerException e) {
      throw registryDown(
          topic,
          "resolving the id of " + schema.getFullName() + " under subject '" + subject + "'",
          e);
    } catch (final SchemaRegistryException e) {
      throw new SerializationException(
          prefix(topic)
              + "the schema registry refused schema "
              + schema.getFullName()
              + " under subject '"
              + subject
              + "': "
              + e.getMessage(),
          e);
    }
  }

  private byte[] serializeAsLatest(
      final SchemaRegistryClient registry,
      final String topic,
      final String subject,
      final Schema schema,
      final T data) {
    final RegisteredSchema latest = latest(registry, topic, subject);
    if (latest.schema().equals(schema)) {
      return encode(topic, latest.id(), schema, data, specificWriter(schema, data));
    }
    // Write with the record's own schema, then resolve into the latest one: Avro's resolution
    // matches fields by name and fills defaults, where writing the record object directly with
    // another schema would match fields by position.
    final SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(latest.schema(), schema);
    if (compatibility.getType() != SchemaCompatibilityType.COMPATIBLE) {
      throw new SerializationException(
          prefix(topic)
              + "a "
              + schema.getFullName()
              + " cannot be written as latest version "
              + latest.version()
              + " (id "
              + latest.id()
              + ") of subject '"
              + subject
              + "': "
              + compatibility.getResult().getIncompatibilities());
    }
    final byte[] own = encode(topic, latest.id(), schema, data, specificWriter(schema, data));
    try {
      final GenericDatumReader<Object> reader =
          new GenericDatumReader<>(schema, latest.schema(), GenericData.get());
      final Object converted =
          reader.read(
              null,
              DecoderFactory.get()
                  .binaryDecoder(own, WireFormat.HEADER_SIZE, own.length - WireFormat.HEADER_SIZE, null));
      final DatumWriter<Object> writer = new GenericDatumWriter<>(latest.schema(), GenericData.get());
      return encode(topic, latest.id(), latest.schema(), converted, writer);
    } catch (final IOException | RuntimeException e) {
      throw new SerializationException(
          prefix(topic)
              + "cannot convert a "
              + schema.getFullName()
              + " to latest version "
              + latest.version()
              + " of subject '"
              + subject
              + "': "
              + e,
          e);
    }
  }

  private RegisteredSchema latest(
      final SchemaRegistryClient registry, final String topic, final String subject) {
    final RegisteredSchema cached = latestBySubject.get(subject);
    if (cached != null) {
      return cached;
    }
    try {
      final RegisteredSchema found = registry.latest(subject);
      latestBySubject.put(subject, found);
      LOG.debug(
          "Writing subject {} with its latest version {} (id {})",
          subject,
          found.version(),
          found.id());
      return found;
    } catch (final SubjectNotFoundException e) {
      throw new SerializationException(
          prefix(topic)
              + "subject '"
              + subject
              + "' has no registered version and "
              + AvroSerdeConfig.USE_LATEST_VERSION_CONFIG
              + " is true ("
              + e.getMessage()
              + ")",
          e);
    } catch (final RegistryServerException e) {
      throw registryDown(topic, "fetching the latest version of subject '" + subject + "'", e);
    } catch (final SchemaRegistryException e) {
      throw new SerializationException(
          prefix(topic)
              + "cannot fetch the latest version of subject '"
              + subject
              + "': "
              + e.getMessage(),
          e);
    }
  }

  private Splicer splicer(final Schema schema, final T data) {
    final Splicer last = lastSplicer;
    if (last != null && last.schema == schema) {
      return last;
    }
    final Splicer found =
        splicers.computeIfAbsent(
            schema, s -> new Splicer(s, SpecificData.getForClass(data.getClass())));
    lastSplicer = found;
    return found;
  }

  /**
   * Writes a record's fields after the first, exactly as the record's own writer does (the same
   * {@code writeField} that writer calls for each field in turn), so that they can follow a first
   * field whose bytes are already at hand.
   */
  private static final class Splicer extends SpecificDatumWriter<Object> {
    private final Schema schema;
    private final Schema firstFieldSchema;
    private final List<Schema.Field> rest;

    /** The last reader schema found equal to the first field's, to skip comparing it again. */
    private volatile Schema accepted;

    Splicer(final Schema schema, final SpecificData model) {
      super(schema, model);
      this.schema = schema;
      final List<Schema.Field> fields = schema.getType() == Schema.Type.RECORD ? schema.getFields() : List.of();
      this.firstFieldSchema = fields.isEmpty() ? null : fields.get(0).schema();
      this.rest = fields.isEmpty() ? List.of() : List.copyOf(fields.subList(1, fields.size()));
    }

    /**
     * @return true when {@code firstField}'s body is the encoding of {@code data}'s first field
     */
    boolean canSplice(final SpecificRecord data, final EncodedRecord<?> firstField) {
      if (firstFieldSchema == null
          || !firstField.isOwnEncoding()
          || data.get(0) != firstField.value()) {
        return false;
      }
      final Schema reader = firstField.readerSchema();
      if (reader == accepted) {
        return true;
      }
      if (firstFieldSchema.equals(reader)) {
        accepted = reader;
        return true;
      }
      return false;
    }

    void writeRest(final Object datum, final Encoder out) throws IOException {
      for (final Schema.Field field : rest) {
        writeField(datum, field, out, null);
      }
    }
  }

  private DatumWriter<Object> specificWriter(final Schema schema, final T data) {
    return writers.computeIfAbsent(
        schema, s -> new SpecificDatumWriter<>(s, SpecificData.getForClass(data.getClass())));
  }

  private static byte[] encode(
      final String topic,
      final int id,
      final Schema schema,
      final Object data,
      final DatumWriter<Object> writer) {
    return encode(topic, id, schema, data, writer, null, null);
  }

  private static byte[] encode(
      final String topic,
      final int id,
      final Schema schema,
      final Object data,
      final Splicer splicer,
      final EncodedRecord<?> firstField) {
    return encode(topic, id, schema, data, null, splicer, firstField);
  }

  /**
   * Encodes a record with its writer, or, given a splicer, as its first field's body followed by
   * the splicer's encoding of the other fields.
   */
  private static byte[] encode(
      final String topic,
      final int id,
      final Schema schema,
      final Object data,
      final DatumWriter<Object> writer,
      final Splicer splicer,
      final EncodedRecord<?> firstField) {
    final Scratch scratch = SCRATCH.get();
    final Buffer out = scratch.out;
    out.startRecord(id);
    final int written;
    final byte[] encoded;
    try {
      scratch.encoder = EncoderFactory.get().directBinaryEncoder(out, scratch.encoder);
      if (splicer == null) {
        writer.write(data, scratch.encoder);
      } else {
        scratch.encoder.writeFixed(firstField.data(), firstField.bodyOffset(), firstField.bodyLength());
        splicer.writeRest(data, scratch.encoder);
      }
      scratch.encoder.flush();
      written = out.size();
      // Copied out before the scratch buffer may be dropped below: copied after, a record over
      // the buffer's keep size came back empty.
      encoded = out.toByteArray();
    } catch (final IOException | RuntimeException e) {
      throw new SerializationException(
          prefix(topic) + "cannot encode a " + schema.getFullName() + " as Avro: " + e, e);
    } finally {
      scratch.shrinkIfHuge();
    }
    return requireWhole(topic, schema, written, encoded);
  }

  /**
   * The bytes handed back must be every byte the encoder wrote, header included: a short or empty
   * value would reach its topic as a record that no reader can decode, so it fails here instead.
   */
  private static byte[] requireWhole(
      final String topic, final Schema schema, final int written, final byte[] encoded) {
    if (encoded.length != written || encoded.length < WireFormat.HEADER_SIZE) {
      throw new SerializationException(
          prefix(topic)
              + "encoding a "
              + schema.getFullName()
              + " wrote "
              + written
              + " bytes but gave back "
              + encoded.length
              + "; the record was not written");
    }
    return encoded;
  }

  /**
   * Each thread encodes into one buffer that has grown to its records' size, instead of a new one
   * that doubles its way up for every record: the copies were a fifth of a producer's time.
   */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static final class Scratch {
    private static final int KEEP = 1 << 20;
    private Buffer out = new Buffer();
    private BinaryEncoder encoder;

    /** A rare huge record should not pin its buffer to the thread for good. */
    void shrinkIfHuge() {
      if (out.size() > KEEP) {
        out = new Buffer();
        encoder = null;
      }
    }
  }

  /**
   * The bytes of one record as the encoder writes them, header first. Unlike a {@link
   * java.io.ByteArrayOutputStream} it takes no lock per write (the encoder writes every varint
   * separately, and only its own thread ever sees this buffer), and it is copied out once, whole.
   */
  private static final class Buffer extends OutputStream {
    private byte[] bytes = new byte[4096];
    private int size;

    /** Empties the buffer and writes the wire-format header for the schema id. */
    void startRecord(final int schemaId) {
      WireFormat.writeHeader(bytes, schemaId);
      size = WireFormat.HEADER_SIZE;
    }

    @Override
    public void write(final int b) {
      ensure(1);
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(final byte[] b, final int off, final int len) {
      Objects.checkFromIndexSize(off, len, b.length);
      ensure(len);
      System.arraycopy(b, off, bytes, size, len);
      size += len;
    }

    int size() {
      return size;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, size);
    }

    private void ensure(final int more) {
      final int needed = Math.addExact(size, more);
      if (needed > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length <= Integer.MAX_VALUE / 2 ? bytes.length * 2 : Integer.MAX_VALUE - 8));
      }
    }
  }

  private static SerializationException registryDown(
      final String topic, final String doing, final RegistryServerException e) {
    return new SerializationException(
        prefix(topic) + "schema registry unavailable while " + doing + ": " + e.getMessage(), e);
  }

  private static String prefix(final String topic) {
    return "topic '" + topic + "': ";
  }
}
