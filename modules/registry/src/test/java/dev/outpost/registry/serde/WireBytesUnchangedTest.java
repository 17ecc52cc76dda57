package dev.outpost.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.Alert;
import dev.outpost.model.ClassifiedItem;
import dev.outpost.model.NewsItem;
import dev.outpost.registry.InMemorySchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * The serializer's reused buffer and per-topic id cache change how it writes, not what: records
 * come out byte for byte as before, and as a plain Avro writer framed by {@link WireFormat} writes
 * them.
 */
class WireBytesUnchangedTest {

  private static final String ALERT_TOPIC = "alerts.military-exercise.v1";
  private static final String CLASSIFIED_TOPIC = "news.classified.v1";

  /** One line of the recorded file: the fixture's name, the topic and the bytes written. */
  private record Recorded(String name, String topic, String hex) {}

  private static List<Recorded> recorded() throws IOException {
    final List<Recorded> lines = new ArrayList<>();
    try (InputStream in =
        Objects.requireNonNull(
            WireBytesUnchangedTest.class.getResourceAsStream("wire-bytes-before.txt"))) {
      for (final String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        final int first = line.indexOf(' ');
        final int second = line.indexOf(' ', first + 1);
        lines.add(
            new Recorded(
                line.substring(0, first), line.substring(first + 1, second), line.substring(second + 1)));
      }
    }
    return lines;
  }

  private static SpecificRecord fixture(final String name) {
    return switch (name) {
      case "newsItem" -> SerdeFixtures.newsItem();
      case "alert", "alertAsKey" -> SerdeFixtures.alert();
      case "classifiedItem" -> SerdeFixtures.classifiedItem();
      case "story" -> SerdeFixtures.story();
      default -> throw new IllegalArgumentException("no fixture named " + name);
    };
  }

  @Test
  void theFixturesAreWrittenByteForByteAsBeforeTheChange() throws IOException {
    final List<Recorded> lines = recorded();
    assertThat(lines).extracting(Recorded::name).contains("newsItem", "alert", "classifiedItem", "alertAsKey");
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    final SpecificAvroSerializer<SpecificRecord> values = new SpecificAvroSerializer<>(registry);
    final SpecificAvroSerializer<SpecificRecord> keys = new SpecificAvroSerializer<>(registry);
    keys.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:1"), true);

    for (final Recorded line : lines) {
      final SpecificAvroSerializer<SpecificRecord> serializer =
          line.name().endsWith("AsKey") ? keys : values;
      // Twice: the first resolves the id, the second takes the cached one.
      for (int i = 0; i < 2; i++) {
        assertThat(HexFormat.of().formatHex(serializer.serialize(line.topic(), fixture(line.name()))))
            .as("%s, write %d", line.name(), i + 1)
            .isEqualTo(line.hex());
      }
    }
  }

  @Test
  void recordsOfEverySizeInterleavedAcrossTopicsAreWhatAPlainWriterWrites() throws IOException {
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    final SpecificAvroSerializer<SpecificRecord> serializer = new SpecificAvroSerializer<>(registry);

    // Bodies from empty to far past the buffer's first size, so it grows while records are written.
    for (int length = 0; length < 70_000; length = length * 3 + 1) {
      final NewsItem item = SerdeFixtures.newsItem();
      item.setBody(text(length));
      final ClassifiedItem classified = SerdeFixtures.classifiedItem();
      classified.setItem(item);
      final Alert alert = SerdeFixtures.alert();
      alert.setTitle(text(length / 7));

      for (final SpecificRecord record : List.of(item, classified, alert, item)) {
        final String topic =
            record instanceof Alert ? ALERT_TOPIC : record instanceof ClassifiedItem ? CLASSIFIED_TOPIC : SerdeFixtures.TOPIC;
        final int id = registry.register(topic + "-value", record.getSchema());
        assertThat(serializer.serialize(topic, record))
            .as("a %s with %d characters", record.getSchema().getName(), length)
            .isEqualTo(WireFormat.write(id, plainAvro(record)));
      }
    }
  }

  @Test
  void threadsWritingAtOnceEachGetTheirOwnRecordsBytes() throws Exception {
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    final SpecificAvroSerializer<SpecificRecord> serializer = new SpecificAvroSerializer<>(registry);
    final int id = registry.register(CLASSIFIED_TOPIC + "-value", ClassifiedItem.getClassSchema());
    final ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      final List<Future<Integer>> checked = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        final int thread = t;
        checked.add(
            threads.submit(
                () -> {
                  int same = 0;
                  for (int i = 0; i < 300; i++) {
                    final ClassifiedItem record = SerdeFixtures.classifiedItem();
                    record.getItem().setBody(text(thread * 1000 + i * 7));
                    if (Arrays.equals(
                        serializer.serialize(CLASSIFIED_TOPIC, record),
                        WireFormat.write(id, plainAvro(record)))) {
                      same++;
                    }
                  }
                  return same;
                }));
      }
      for (final Future<Integer> result : checked) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(300);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aNewConfigurationIsHonouredForATopicAlreadyWritten() {
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    final SpecificAvroSerializer<SpecificRecord> serializer = new SpecificAvroSerializer<>(registry);
    serializer.serialize(ALERT_TOPIC, SerdeFixtures.alert());

    // As keys, without registering: the key subject has nothing, so the cached value id must not do.
    serializer.configure(
        Map.of(
            AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG,
            "http://127.0.0.1:1",
            AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG,
            "false"),
        true);

    assertThatThrownBy(() -> serializer.serialize(ALERT_TOPIC, SerdeFixtures.alert()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(ALERT_TOPIC + "-key");
  }

  private static byte[] plainAvro(final SpecificRecord record) throws IOException {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<SpecificRecord>(
            record.getSchema(), SpecificData.getForClass(record.getClass()))
        .write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  /** Text with multi-byte characters, so a length in characters is not one in bytes. */
  private static String text(final int length) {
    final StringBuilder text = new StringBuilder(length);
    for (int i = 0; text.length() < length; i++) {
      text.append(i % 97 == 0 ? 'é' : (char) ('a' + i % 26));
    }
    return text.toString();
  }
}
