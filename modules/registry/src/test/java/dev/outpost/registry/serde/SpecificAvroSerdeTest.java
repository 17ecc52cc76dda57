package dev.outpost.registry.serde;

import static dev.outpost.registry.serde.SerdeFixtures.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.Alert;
import dev.outpost.model.ClassifiedItem;
import dev.outpost.model.NewsItem;
import dev.outpost.registry.CompatibilityLevel;
import dev.outpost.registry.InMemorySchemaRegistryClient;
import dev.outpost.registry.RegistryServerException;
import dev.outpost.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SpecificAvroSerdeTest {

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final SpecificAvroSerializer<NewsItem> serializer = new SpecificAvroSerializer<>(registry);
  private final SpecificAvroDeserializer<NewsItem> deserializer =
      new SpecificAvroDeserializer<>(registry, NewsItem.class);

  private static byte[] bytes(final int... values) {
    final byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  // ---------------------------------------------------------------- test vectors

  @Test
  void aNewsItemWithEveryFieldSetHasTheseExactBytes() {
    final NewsItem item =
        NewsItem.newBuilder()
            .setId("n1")
            .setSource("rss")
            .setUrl("u")
            .setTitle("Hi")
            .setBody("")
            .setLanguage("en")
            .setPublishedAt(Instant.ofEpochMilli(64))
            .setIngestedAt(Instant.ofEpochMilli(1000))
            .build();
    // Registered first in an empty registry: schema id 1.
    final byte[] expected =
        bytes(
            // Header: magic byte 0, then the schema id 1 as 4 bytes big-endian.
            0x00,
            0x00, 0x00, 0x00, 0x01,
            // id "n1": a string is its UTF-8 length as a zig-zag varint (2 -> 4), then the bytes.
            0x04, 'n', '1',
            // source "rss": length 3 -> zig-zag 6.
            0x06, 'r', 's', 's',
            // url ["null","string"] = "u": union branch 1 -> zig-zag 2, then length 1 -> 2, 'u'.
            0x02, 0x02, 'u',
            // title "Hi": length 2 -> 4.
            0x04, 'H', 'i',
            // body "": length 0 -> 0, no bytes.
            0x00,
            // language "en": length 2 -> 4.
            0x04, 'e', 'n',
            // publishedAt ["null",long] = 64 ms: branch 1 -> 2; zig-zag(64) = 128 = 0b1_0000000,
            // low 7 bits first with the continuation bit: 0x80, then the remaining 1: 0x01.
            0x02, 0x80, 0x01,
            // ingestedAt 1000 ms: zig-zag 2000 = 0b1111_1010000; low 7 bits 0x50 | 0x80 = 0xD0,
            // then 2000 >> 7 = 15 = 0x0F.
            0xD0, 0x0F);

    final byte[] written = serializer.serialize(TOPIC, item);

    assertThat(written).containsExactly(expected);
    assertThat(deserializer.deserialize(TOPIC, expected)).isEqualTo(item);
  }

  @Test
  void aNewsItemWithNullsDefaultsAndANegativeTimeHasTheseExactBytes() {
    final NewsItem item =
        NewsItem.newBuilder()
            .setId("")
            .setSource("x")
            .setTitle("t")
            .setBody("b")
            .setPublishedAt(Instant.ofEpochMilli(-1))
            .setIngestedAt(Instant.ofEpochMilli(1_700_000_000_000L))
            .build();
    final byte[] expected =
        bytes(
            0x00,
            0x00, 0x00, 0x00, 0x01,
            // id "": length 0.
            0x00,
            // source "x".
            0x02, 'x',
            // url left at its default null: union branch 0 -> 0, and null has no bytes.
            0x00,
            // title "t", body "b".
            0x02, 't',
            0x02, 'b',
            // language left at its default "und": length 3 -> 6.
            0x06, 'u', 'n', 'd',
            // publishedAt = -1 ms: branch 1 -> 2; zig-zag(-1) = 1.
            0x02, 0x01,
            // ingestedAt 1_700_000_000_000 ms: zig-zag doubles it to 3_400_000_000_000
            // = 98*128^5 + 121*128^4 + 126*128^3 + 43*128^2 + 32*128 + 0. Seven-bit groups, low
            // first, each but the last with the continuation bit 0x80:
            // 0|0x80, 32|0x80, 43|0x80, 126|0x80, 121|0x80, 98.
            0x80, 0xA0, 0xAB, 0xFE, 0xF9, 0x62);

    final byte[] written = serializer.serialize(TOPIC, item);

    assertThat(written).containsExactly(expected);
    assertThat(deserializer.deserialize(TOPIC, expected)).isEqualTo(item);
  }

  @Test
  void theSchemaIdIsWrittenBigEndian() {
    // Push the registry's id counter past 255 so the id needs more than one byte.
    for (int i = 0; i < 299; i++) {
      registry.register("filler-" + i, Schema.createEnum("E" + i, null, "t", List.of("A")));
    }

    final byte[] written = serializer.serialize(TOPIC, SerdeFixtures.newsItem());

    // Id 300 = 0x0000012C.
    assertThat(Arrays.copyOf(written, 5)).containsExactly(0x00, 0x00, 0x00, 0x01, 0x2C);
    assertThat(registry.lookup(TOPIC + "-value", NewsItem.getClassSchema()).id()).isEqualTo(300);
  }

  // ---------------------------------------------------------------- round trips

  @Test
  void nullIsATombstoneBothWays() {
    assertThat(serializer.serialize(TOPIC, null)).isNull();
    assertThat(deserializer.deserialize(TOPIC, null)).isNull();
    assertThat(registry.subjects()).isEmpty();
  }

  @Test
  void newsItemRoundTrips() {
    final NewsItem item = SerdeFixtures.newsItem();

    final NewsItem back = deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, item));

    assertThat(back).isEqualTo(item);
    assertThat(back.getPublishedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
  }

  @Test
  void alertRoundTrips() {
    try (SpecificAvroSerde<Alert> serde = new SpecificAvroSerde<>(registry, Alert.class)) {
      final Alert alert = SerdeFixtures.alert();

      final Alert back =
          serde.deserializer().deserialize("alerts.v1", serde.serializer().serialize("alerts.v1", alert));

      assertThat(back).isEqualTo(alert);
      assertThat(registry.subjects()).containsExactly("alerts.v1-value");
    }
  }

  @Test
  void classifiedItemRoundTrips() {
    try (SpecificAvroSerde<ClassifiedItem> serde =
        new SpecificAvroSerde<>(registry, ClassifiedItem.class)) {
      final ClassifiedItem item = SerdeFixtures.classifiedItem();

      final ClassifiedItem back =
          serde
              .deserializer()
              .deserialize("news.classified.v1", serde.serializer().serialize("news.classified.v1", item));

      assertThat(back).isEqualTo(item);
      assertThat(back.getLabels()).hasSize(2);
      assertThat(back.getItem().getUrl()).isEqualTo("https://example.org/a");
    }
  }

  @Test
  void keysGoUnderTheKeySubject() {
    final SpecificAvroSerializer<NewsItem> keys = new SpecificAvroSerializer<>(registry);
    keys.configure(Map.of(), true);

    keys.serialize(TOPIC, SerdeFixtures.newsItem());

    assertThat(registry.subjects()).containsExactly(TOPIC + "-key");
  }

  @Test
  void theConfiguredSubjectStrategyIsUsed() {
    serializer.configure(Map.of("value.subject.name.strategy", "TopicRecordNameStrategy"), false);

    serializer.serialize(TOPIC, SerdeFixtures.newsItem());

    assertThat(registry.subjects()).containsExactly(TOPIC + "-dev.outpost.model.NewsItem");
  }

  // ---------------------------------------------------------------- schema evolution

  @Test
  void aRecordWrittenWithAnOlderSchemaReadsWithDefaults() throws IOException {
    final Schema older = SerdeFixtures.schema("NewsItem-v0.avsc");
    final int olderId = registry.register(TOPIC + "-value", older);
    final GenericRecord record = new GenericData.Record(older);
    record.put("id", "old-1");
    record.put("source", "wire");
    record.put("title", "Parade rehearsal");
    record.put("body", "Tanks on the boulevard.");
    record.put("publishedAt", null);
    record.put("ingestedAt", 1_600_000_000_000L);
    final byte[] data = WireFormat.write(olderId, avro(older, record));
    // The current schema is a compatible later version of the same subject.
    final int currentId = registry.register(TOPIC + "-value", NewsItem.getClassSchema());

    final NewsItem read = deserializer.deserialize(TOPIC, data);

    assertThat(currentId).isNotEqualTo(olderId);
    assertThat(read.getId()).isEqualTo("old-1");
    assertThat(read.getSource()).isEqualTo("wire");
    assertThat(read.getTitle()).isEqualTo("Parade rehearsal");
    assertThat(read.getBody()).isEqualTo("Tanks on the boulevard.");
    assertThat(read.getPublishedAt()).isNull();
    assertThat(read.getIngestedAt()).isEqualTo(Instant.ofEpochMilli(1_600_000_000_000L));
    // Fields the older schema lacks take the reader's defaults.
    assertThat(read.getUrl()).isNull();
    assertThat(read.getLanguage()).isEqualTo("und");
  }

  @Test
  void useLatestVersionWritesWithTheSubjectsLatestSchema() throws IOException {
    final Schema newer = SerdeFixtures.schema("NewsItem-with-tags.avsc");
    registry.register(TOPIC + "-value", NewsItem.getClassSchema());
    final int newerId = registry.register(TOPIC + "-value", newer);
    serializer.configure(
        Map.of("auto.register.schemas", "false", "use.latest.version", "true"), false);
    final NewsItem item = SerdeFixtures.newsItem();

    final byte[] written = serializer.serialize(TOPIC, item);

    final WireFormat.Header header = WireFormat.parse(TOPIC, written);
    assertThat(header.schemaId()).isEqualTo(newerId);
    final GenericRecord asNewer =
        new GenericDatumReader<GenericRecord>(newer)
            .read(
                null,
                DecoderFactory.get()
                    .binaryDecoder(written, header.payloadOffset(), header.payloadLength(), null));
    assertThat(asNewer.get("tags")).isEqualTo(List.of());
    assertThat(asNewer.get("title").toString()).isEqualTo("Exercise announced");
    assertThat(deserializer.deserialize(TOPIC, written)).isEqualTo(item);
  }

  @Test
  void useLatestVersionRefusesALatestSchemaThatCannotHoldTheRecord() {
    registry.setSubjectCompatibility(TOPIC + "-value", CompatibilityLevel.NONE);
    registry.register(TOPIC + "-value", NewsItem.getClassSchema());
    registry.register(TOPIC + "-value", Schema.createRecord("NewsItem", null, "dev.outpost.model", false,
        List.of(new Schema.Field("mandatory", Schema.create(Schema.Type.INT)))));
    serializer.configure(
        Map.of("auto.register.schemas", false, "use.latest.version", true), false);

    assertThatThrownBy(() -> serializer.serialize(TOPIC, SerdeFixtures.newsItem()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic '" + TOPIC + "'")
        .hasMessageContaining("cannot be written as latest version 2")
        .hasMessageContaining("mandatory");
  }

  @Test
  void autoRegisterOffUsesTheAlreadyRegisteredId() {
    registry.register("unrelated", SerdeFixtures.schema("NewsItem-v0.avsc"));
    final int id = registry.register(TOPIC + "-value", NewsItem.getClassSchema());
    serializer.configure(Map.of("auto.register.schemas", "false"), false);

    final byte[] written = serializer.serialize(TOPIC, SerdeFixtures.newsItem());

    assertThat(WireFormat.parse(TOPIC, written).schemaId()).isEqualTo(id).isEqualTo(2);
    assertThat(registry.versions(TOPIC + "-value")).containsExactly(1);
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void wrongMagicByte() {
    final byte[] good = serializer.serialize(TOPIC, SerdeFixtures.newsItem());
    good[0] = 0x01;

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, good))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic '" + TOPIC + "'")
        .hasMessageContaining("wrong magic byte 0x01 (expected 0x00)")
        .extracting(e -> ((WireFormatException) e).problem())
        .isEqualTo(WireFormatException.Problem.WRONG_MAGIC_BYTE);
  }

  @Test
  void unknownSchemaId() {
    final byte[] data = bytes(0x00, 0x00, 0x00, 0x00, 0x63, 0x02, 'x');

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, data))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic '" + TOPIC + "'")
        .hasMessageContaining("unknown schema id 99")
        .extracting(e -> ((WireFormatException) e).problem())
        .isEqualTo(WireFormatException.Problem.UNKNOWN_SCHEMA_ID);
  }

  @Test
  void truncatedHeader() {
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes(0x00, 0x00, 0x00)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic '" + TOPIC + "'")
        .hasMessageContaining("payload truncated: 3 bytes, need at least 5")
        .extracting(e -> ((WireFormatException) e).problem())
        .isEqualTo(WireFormatException.Problem.TRUNCATED_HEADER);
  }

  @Test
  void truncatedBody() {
    final byte[] good = serializer.serialize(TOPIC, SerdeFixtures.newsItem());
    final byte[] cut = Arrays.copyOf(good, good.length - 3);

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, cut))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic '" + TOPIC + "'")
        .hasMessageContaining("Avro body truncated")
        .hasMessageContaining("schema id 1")
        .extracting(e -> ((WireFormatException) e).problem())
        .isEqualTo(WireFormatException.Problem.TRUNCATED_BODY);
  }

  @Test
  void headerWithoutBody() {
    serializer.serialize(TOPIC, SerdeFixtures.newsItem());

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes(0x00, 0x00, 0x00, 0x00, 0x01)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Avro body truncated: the 0 bytes after the header");
  }

  @Test
  void incompatibleWriterSchema() throws IOException {
    final Schema broken = SerdeFixtures.schema("NewsItem-without-ingestedAt.avsc");
    final int id = registry.register("scratch", broken);
    final GenericRecord record = new GenericData.Record(broken);
    record.put("id", "i");
    record.put("source", "s");
    record.put("title", "t");
    record.put("body", "b");
    final byte[] data = WireFormat.write(id, avro(broken, record));

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, data))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic '" + TOPIC + "'")
        .hasMessageContaining("incompatible writer schema: schema id " + id)
        .hasMessageContaining("cannot be resolved into the reader schema of dev.outpost.model.NewsItem")
        .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
        .hasMessageContaining("ingestedAt");
  }

  @Test
  void autoRegisterOffAndNotRegistered() {
    serializer.configure(Map.of("auto.register.schemas", "false"), false);

    assertThatThrownBy(() -> serializer.serialize(TOPIC, SerdeFixtures.newsItem()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic '" + TOPIC + "'")
        .hasMessageContaining(
            "schema dev.outpost.model.NewsItem is not registered under subject '"
                + TOPIC
                + "-value' and auto.register.schemas is false");
    assertThat(registry.subjects()).isEmpty();
  }

  @Test
  void autoRegisterOffAndTheSubjectHasOnlyOtherSchemas() {
    registry.register(TOPIC + "-value", SerdeFixtures.schema("NewsItem-v0.avsc"));
    serializer.configure(Map.of("auto.register.schemas", "false"), false);

    assertThatThrownBy(() -> serializer.serialize(TOPIC, SerdeFixtures.newsItem()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("is not registered under subject '" + TOPIC + "-value'");
  }

  @Test
  void aSchemaTheSubjectRefusesIsASerializationError() {
    registry.setSubjectCompatibility(TOPIC + "-value", CompatibilityLevel.FULL);
    registry.register(TOPIC + "-value", SerdeFixtures.schema("NewsItem-without-ingestedAt.avsc"));

    assertThatThrownBy(() -> serializer.serialize(TOPIC, SerdeFixtures.newsItem()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic '" + TOPIC + "'")
        .hasMessageContaining("is incompatible with subject '" + TOPIC + "-value'")
        .hasMessageContaining("FULL");
  }

  @Test
  void aRecordAvroCannotEncodeIsASerializationError() {
    final NewsItem item = SerdeFixtures.newsItem();
    item.setTitle(null);

    assertThatThrownBy(() -> serializer.serialize(TOPIC, item))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic '" + TOPIC + "'")
        .hasMessageContaining("cannot encode a dev.outpost.model.NewsItem")
        .hasMessageContaining("title");
  }

  @Test
  void registryDownWhileSerializing() {
    final SpecificAvroSerializer<NewsItem> down = new SpecificAvroSerializer<>(new DownRegistry());

    assertThatThrownBy(() -> down.serialize(TOPIC, SerdeFixtures.newsItem()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic '" + TOPIC + "'")
        .hasMessageContaining("schema registry unavailable while resolving the id of dev.outpost.model.NewsItem")
        .hasMessageContaining("connection refused");
  }

  @Test
  void registryDownWhileDeserializing() {
    final byte[] data = serializer.serialize(TOPIC, SerdeFixtures.newsItem());
    final SpecificAvroDeserializer<NewsItem> down =
        new SpecificAvroDeserializer<>(new DownRegistry(), NewsItem.class);

    assertThatThrownBy(() -> down.deserialize(TOPIC, data))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic '" + TOPIC + "'")
        .hasMessageContaining("schema registry unavailable while fetching schema id 1")
        .hasMessageContaining("connection refused")
        .extracting(e -> ((WireFormatException) e).problem())
        .isEqualTo(WireFormatException.Problem.REGISTRY_UNAVAILABLE);
  }

  @Test
  void aFailedLookupIsNotCachedSoTheRecordReadsOnceTheRegistryIsBack() {
    final byte[] data = serializer.serialize(TOPIC, SerdeFixtures.newsItem());
    final DownRegistry flaky = new DownRegistry();
    final SpecificAvroDeserializer<NewsItem> reader = new SpecificAvroDeserializer<>(flaky, NewsItem.class);
    assertThatThrownBy(() -> reader.deserialize(TOPIC, data)).isInstanceOf(SerializationException.class);

    flaky.backWith(registry);

    assertThat(reader.deserialize(TOPIC, data)).isEqualTo(SerdeFixtures.newsItem());
  }

  @Test
  void theReaderForAWriterIdIsBuiltOnceNotPerRecord() {
    final byte[] first = serializer.serialize(TOPIC, SerdeFixtures.newsItem());
    final DownRegistry counting = new DownRegistry();
    counting.backWith(registry);
    final SpecificAvroDeserializer<NewsItem> reader =
        new SpecificAvroDeserializer<>(counting, NewsItem.class);

    for (int i = 0; i < 10; i++) {
      assertThat(reader.deserialize(TOPIC, first)).isEqualTo(SerdeFixtures.newsItem());
    }

    assertThat(counting.byIdCalls).hasValue(1);
  }

  @Test
  void anUnconfiguredNoArgSerializerSaysWhatIsMissing() {
    final SpecificAvroSerializer<NewsItem> bare = new SpecificAvroSerializer<>();

    assertThatThrownBy(() -> bare.serialize(TOPIC, SerdeFixtures.newsItem()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("schema.registry.url");
  }

  private static byte[] avro(final Schema schema, final GenericRecord record) throws IOException {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  /** A registry that cannot be reached until {@link #backWith} is called; counts getById. */
  private static final class DownRegistry implements SchemaRegistryClient {
    private volatile SchemaRegistryClient delegate;
    private final java.util.concurrent.atomic.AtomicInteger byIdCalls =
        new java.util.concurrent.atomic.AtomicInteger();

    void backWith(final SchemaRegistryClient up) {
      delegate = up;
    }

    private SchemaRegistryClient up() {
      final SchemaRegistryClient current = delegate;
      if (current == null) {
        throw new RegistryServerException("GET /schemas/ids: connection refused", -1);
      }
      return current;
    }

    @Override
    public int register(final String subject, final Schema schema) {
      return up().register(subject, schema);
    }

    @Override
    public dev.outpost.registry.RegisteredSchema lookup(final String subject, final Schema schema) {
      return up().lookup(subject, schema);
    }

    @Override
    public Schema getById(final int id) {
      byIdCalls.incrementAndGet();
      return up().getById(id);
    }

    @Override
    public List<String> subjects() {
      return up().subjects();
    }

    @Override
    public List<Integer> versions(final String subject) {
      return up().versions(subject);
    }

    @Override
    public dev.outpost.registry.RegisteredSchema version(final String subject, final int version) {
      return up().version(subject, version);
    }

    @Override
    public dev.outpost.registry.RegisteredSchema latest(final String subject) {
      return up().latest(subject);
    }

    @Override
    public List<String> testCompatibility(final String subject, final Schema schema) {
      return up().testCompatibility(subject, schema);
    }

    @Override
    public List<String> testCompatibility(final String subject, final int version, final Schema schema) {
      return up().testCompatibility(subject, version, schema);
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
      return up().globalCompatibility();
    }

    @Override
    public void setGlobalCompatibility(final CompatibilityLevel level) {
      up().setGlobalCompatibility(level);
    }

    @Override
    public CompatibilityLevel subjectCompatibility(final String subject) {
      return up().subjectCompatibility(subject);
    }

    @Override
    public void setSubjectCompatibility(final String subject, final CompatibilityLevel level) {
      up().setSubjectCompatibility(subject, level);
    }

    @Override
    public void close() {
      // Nothing to release.
    }
  }
}
