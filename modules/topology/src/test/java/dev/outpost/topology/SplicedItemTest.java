package dev.outpost.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.classifier.Classifier;
import dev.outpost.model.ClassifiedItem;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.registry.InMemorySchemaRegistryClient;
import dev.outpost.registry.serde.EncodedRecord;
import dev.outpost.registry.serde.WireFormat;
import dev.outpost.topology.internal.Results;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * The classified item is written with its item's bytes copied from the input record, and those
 * are the bytes encoding the item would give: for every item of the development sets, for an item
 * written with another version of its schema (encoded again), for one followed by stray bytes, and
 * for one a step replaced.
 */
class SplicedItemTest {

  private static final Path DEVSET = Path.of("../classifier/devset");
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final String INPUT = Topics.NEWS_ITEMS.name();
  private static final String OUTPUT = Topics.NEWS_CLASSIFIED.name();

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final PipelineSerdes serdes = PipelineSerdes.using(registry, Map.of());
  private final Classifier classifier = Classifier.withDefaultRules();

  @Test
  void everyDevelopmentSetItemIsWrittenWithTheBytesEncodingItWouldGive() throws IOException {
    final List<NewsItem> items = developmentSetItems();
    assertThat(items).hasSizeGreaterThan(5_000);
    int labelled = 0;
    for (final NewsItem item : items) {
      final EncodedRecord<NewsItem> read = read(serdes.newsItems().serializer().serialize(INPUT, item));
      assertThat(read.isOwnEncoding()).as(item.getId()).isTrue();
      final ClassifiedItem classified = classify(read.value());
      labelled += classified.getLabels().isEmpty() ? 0 : 1;

      final byte[] encoded = serdes.classifiedItems().serializer().serialize(OUTPUT, classified);
      final byte[] spliced = serdes.classifiedOutputs().serializer().serialize(OUTPUT, new ClassifiedOutput(classified, read));

      assertThat(spliced).as(item.getId()).isEqualTo(encoded);
    }
    // Labels, evidence and actors are among what follows the item's bytes, not only empty arrays.
    assertThat(labelled).isGreaterThan(100);
  }

  @Test
  void theItemsBytesAreCopiedFromTheInputNotEncodedAgain() {
    final NewsItem item = item("copied", "Fleet drills near the strait", "Ships sailed.");
    final byte[] input = serdes.newsItems().serializer().serialize(INPUT, item);
    final EncodedRecord<NewsItem> read = read(input);
    final ClassifiedItem classified = classify(read.value());
    // Changed after reading, under the decoded item: only bytes copied from the input show it.
    final int at = indexOf(input, "Fleet".getBytes(StandardCharsets.UTF_8));
    input[at] = 'B';

    final ClassifiedItem written = written(serdes.classifiedOutputs().serializer().serialize(OUTPUT, new ClassifiedOutput(classified, read)));

    assertThat(written.getItem().getTitle()).isEqualTo("Bleet drills near the strait");
    assertThat(written(serdes.classifiedItems().serializer().serialize(OUTPUT, classified)).getItem().getTitle())
        .isEqualTo("Fleet drills near the strait");
  }

  @Test
  void anItemWrittenWithAnotherVersionOfItsSchemaIsEncodedAgain() throws IOException {
    // An earlier NewsItem: no language, and title before source. Its fields resolve by name into
    // the current schema, but its bytes are not the current encoding of the item.
    final Schema older =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "NewsItem", "namespace": "dev.outpost.model", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "title", "type": "string"},
                  {"name": "source", "type": "string"},
                  {"name": "url", "type": ["null", "string"], "default": null},
                  {"name": "body", "type": "string"},
                  {"name": "publishedAt", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}], "default": null},
                  {"name": "ingestedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}}
                ]}
                """);
    final int olderId = registry.register("older-news-items-value", older);
    final GenericRecord record = new GenericData.Record(older);
    record.put("id", "older-1");
    record.put("title", "Fleet drills near the strait");
    record.put("source", "wire");
    record.put("url", null);
    record.put("body", "Navy ships held a live-fire exercise.");
    record.put("publishedAt", NOW.toEpochMilli());
    record.put("ingestedAt", NOW.toEpochMilli());
    final byte[] olderBody = avro(older, record);

    final EncodedRecord<NewsItem> read = read(WireFormat.write(olderId, olderBody));
    assertThat(read.schemaId()).isEqualTo(olderId);
    assertThat(read.isOwnEncoding()).isFalse();
    assertThat(read.value().getLanguage()).isEqualTo("und");
    final ClassifiedItem classified = classify(read.value());

    final byte[] encoded = serdes.classifiedItems().serializer().serialize(OUTPUT, classified);
    final byte[] spliced = serdes.classifiedOutputs().serializer().serialize(OUTPUT, new ClassifiedOutput(classified, read));

    assertThat(spliced).isEqualTo(encoded);
    assertThat(written(spliced).getItem()).isEqualTo(read.value());
    // Copying the older bytes would have written another item: the check is not idle.
    final byte[] current = serdes.newsItems().serializer().serialize(INPUT, read.value());
    assertThat(read.body()).isNotEqualTo(Arrays.copyOfRange(current, WireFormat.HEADER_SIZE, current.length));
  }

  @Test
  void bytesPastTheRecordAreNotCopied() {
    final byte[] input = serdes.newsItems().serializer().serialize(INPUT, item("trailing", "Parade rehearsal", "Tanks rolled."));
    final byte[] longer = Arrays.copyOf(input, input.length + 3);
    longer[input.length] = 7;

    final EncodedRecord<NewsItem> read = read(longer);
    assertThat(read.isOwnEncoding()).isFalse();
    final ClassifiedItem classified = classify(read.value());

    assertThat(serdes.classifiedOutputs().serializer().serialize(OUTPUT, new ClassifiedOutput(classified, read)))
        .isEqualTo(serdes.classifiedItems().serializer().serialize(OUTPUT, classified));
  }

  @Test
  void anItemAStepReplacedIsWrittenAsItIsNow() {
    final EncodedRecord<NewsItem> read =
        read(serdes.newsItems().serializer().serialize(INPUT, item("replaced", "Parade rehearsal", "Tanks rolled.")));
    final ClassifiedItem classified = classify(NewsItem.newBuilder(read.value()).setTitle("Parade called off").build());

    final byte[] spliced = serdes.classifiedOutputs().serializer().serialize(OUTPUT, new ClassifiedOutput(classified, read));

    assertThat(spliced).isEqualTo(serdes.classifiedItems().serializer().serialize(OUTPUT, classified));
    assertThat(written(spliced).getItem().getTitle()).isEqualTo("Parade called off");
  }

  @Test
  void anOutputWithoutItsInputIsEncoded() {
    final ClassifiedItem classified = classify(item("alone", "Parade rehearsal", "Tanks rolled."));

    assertThat(serdes.classifiedOutputs().serializer().serialize(OUTPUT, new ClassifiedOutput(classified, null)))
        .isEqualTo(serdes.classifiedItems().serializer().serialize(OUTPUT, classified));
  }

  private EncodedRecord<NewsItem> read(final byte[] bytes) {
    return serdes.encodedNewsItems().deserializer().deserialize(INPUT, bytes);
  }

  private ClassifiedItem written(final byte[] bytes) {
    return serdes.classifiedItems().deserializer().deserialize(OUTPUT, bytes);
  }

  private ClassifiedItem classify(final NewsItem item) {
    return Results.classified(item, classifier.classify(item.getTitle(), item.getBody(), item.getLanguage()), NOW);
  }

  private static NewsItem item(final String id, final String title, final String body) {
    return NewsItem.newBuilder()
        .setId(id)
        .setSource("wire")
        .setTitle(title)
        .setBody(body)
        .setPublishedAt(NOW)
        .setIngestedAt(NOW)
        .build();
  }

  private static byte[] avro(final Schema schema, final GenericRecord record) throws IOException {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static int indexOf(final byte[] haystack, final byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  /**
   * Every item of the development sets (English, other languages, whole feed items), as a
   * producer would publish it: with and without a URL, a publication time and a language.
   */
  private static List<NewsItem> developmentSetItems() throws IOException {
    final List<Path> files;
    try (Stream<Path> all = Files.walk(DEVSET)) {
      files = all.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
    }
    final ObjectMapper json = new ObjectMapper();
    final List<NewsItem> items = new ArrayList<>();
    for (final Path file : files) {
      for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        final JsonNode e = json.readTree(line);
        final int n = items.size();
        items.add(
            NewsItem.newBuilder()
                .setId(e.path("id").asText("item-" + n))
                .setSource(e.path("outlet").asText("devset"))
                .setUrl(n % 4 == 0 ? null : e.path("source").asText(null))
                .setTitle(e.path("title").asText(""))
                .setBody(e.path("text").asText(""))
                .setLanguage(e.path("language").asText("und"))
                .setPublishedAt(n % 3 == 0 ? null : NOW.minusSeconds(n))
                .setIngestedAt(NOW)
                .build());
      }
    }
    return items;
  }
}
