package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code outpost archive}: one container file per day of event time, appended on the next run. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ArchiveCommandIT {

  @TempDir Path dir;

  @Test
  void itemsLandInTheFileOfTheirDayAndASecondRunAppendsOnlyTheNewOnes() throws Exception {
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir.resolve("stack")).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()))) {
      final String[] cluster = {"--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl()};
      publish(stack, registry, "a", Instant.parse("2026-11-20T10:00:00Z"));
      publish(stack, registry, "b", Instant.parse("2026-11-20T23:59:00Z"));
      publish(stack, registry, "c", Instant.parse("2026-11-21T00:01:00Z"));
      final Path out = dir.resolve("archive");

      final CliRunner.Result first = CliRunner.run("archive", "--out", out.toString(), cluster[0], cluster[1], cluster[2], cluster[3]);
      publish(stack, registry, "d", Instant.parse("2026-11-21T12:00:00Z"));
      final CliRunner.Result second = CliRunner.run("archive", "--out", out.toString(), cluster[0], cluster[1], cluster[2], cluster[3]);

      assertThat(first.exitCode()).as(first.err()).isZero();
      assertThat(first.out()).contains("Archived 3 record(s)");
      assertThat(second.out()).contains("Archived 1 record(s)");
      final Path files = out.resolve(Topics.NEWS_ITEMS.name());
      try (Stream<Path> list = Files.list(files)) {
        assertThat(list.map(p -> p.getFileName().toString()).sorted()).containsExactly("2026-11-20.avro", "2026-11-21.avro");
      }
      assertThat(read(files.resolve("2026-11-20.avro").toFile())).containsExactly("a", "b");
      assertThat(read(files.resolve("2026-11-21.avro").toFile())).containsExactlyInAnyOrder("c", "d");
    }
  }

  @Test
  void aTopicOfRawBytesIsRefused() {
    final CliRunner.Result result = CliRunner.run("archive", "--topic", "news.items.dlq.v1", "--out", dir.toString());

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("holds raw bytes");
  }

  private static List<String> read(final File file) throws Exception {
    final List<String> ids = new ArrayList<>();
    // Read as any Avro tool would, with the schema embedded in the file and no generated class.
    try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file, new GenericDatumReader<>())) {
      assertThat(reader.getSchema().getFullName()).as("the schema is embedded").isEqualTo("dev.outpost.model.NewsItem");
      reader.forEach(item -> ids.add(item.get("id").toString()));
    }
    return ids;
  }

  private static void publish(final EmbeddedStack stack, final SchemaRegistryClient registry, final String id, final Instant published)
      throws Exception {
    try (SpecificAvroSerializer<NewsItem> values = new SpecificAvroSerializer<>(registry)) {
      values.configure(Map.of(), false);
      try (KafkaProducer<String, NewsItem> producer = new KafkaProducer<>(stack.kafkaProperties(), new StringSerializer(), values)) {
        final NewsItem item =
            NewsItem.newBuilder().setId(id).setSource("it").setTitle("Item " + id).setBody("Text")
                .setPublishedAt(published).setIngestedAt(Instant.now()).build();
        // One key, so one partition, so the order within a day's file is the order published.
        producer.send(new ProducerRecord<>(Topics.NEWS_ITEMS.name(), "k", item)).get();
      }
    }
  }
}
