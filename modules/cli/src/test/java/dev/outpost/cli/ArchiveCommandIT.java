package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.ingest.ArchiveDirectory;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import dev.outpost.registry.serde.WireFormat;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outpost archive}: one container file per day of event time, appended on the next run;
 * every record exactly once through a kill -9 and a registry that stalls mid-run.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ArchiveCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();

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
        assertThat(list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".avro")).sorted())
            .containsExactly("2026-11-20.avro", "2026-11-21.avro");
      }
      assertThat(read(files.resolve("2026-11-20.avro").toFile())).containsExactly("a", "b");
      assertThat(read(files.resolve("2026-11-21.avro").toFile())).containsExactlyInAnyOrder("c", "d");
    }
  }

  @Test
  void anArchiveKilledMidRunHoldsEveryRecordOnceAfterTheNextRun() throws Exception {
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir.resolve("stack")).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
        StallingRegistry proxy = StallingRegistry.before(stack.registryUrl())) {
      final Set<String> ids = new HashSet<>(publishMany(stack, registry, "old", 3_000, false));
      ids.addAll(publishMany(stack, registry, "new", 1_000, true));
      // The run reads the older records, then hangs on the newer schema, all in one partition:
      // killed there, it is surely mid-run, with files written and some of them not committed.
      proxy.stall(newerSchemaId(registry), StallingRegistry.Stall.HANG);
      final Path out = dir.resolve("archive");
      try (OutpostProcess archive =
          OutpostProcess.start("archive", "--out", out.toString(), "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", proxy.url())) {
        await().alias("the archive reaches the newer schema").atMost(Duration.ofSeconds(60))
            .until(() -> proxy.stalledRequests() > 0 || !archive.isAlive());
        assertThat(archive.isAlive()).as(String.join("\n", archive.lines())).isTrue();
        assertThat(archive.kill()).isTrue();
      }
      proxy.heal();

      final CliRunner.Result resumed =
          CliRunner.run("archive", "--out", out.toString(), "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", proxy.url());

      assertThat(resumed.exitCode()).as(resumed.err()).isZero();
      final List<String> archived = readAll(out.resolve(Topics.NEWS_ITEMS.name()));
      assertThat(archived).as(resumed.err()).doesNotHaveDuplicates().hasSize(ids.size());
      assertThat(new HashSet<>(archived)).isEqualTo(ids);
    }
  }

  @Test
  void aRegistryStallStopsTheArchiveWithNothingSkippedAndTheNextRunCompletesIt() throws Exception {
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir.resolve("stack")).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
        StallingRegistry proxy = StallingRegistry.before(stack.registryUrl())) {
      final Set<String> ids = new HashSet<>(publishMany(stack, registry, "old", 1_500, false));
      ids.addAll(publishMany(stack, registry, "new", 500, true));
      proxy.stall(newerSchemaId(registry), StallingRegistry.Stall.UNAVAILABLE);
      final Path out = dir.resolve("archive");
      final String[] archive = {"archive", "--out", out.toString(), "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", proxy.url()};

      // One try per look-up (the registry client's max.retries), so a run that skipped instead
      // of stopping would skip them all quickly rather than retry each.
      final CliRunner.Result stalled = CliRunner.run(Map.of("OUTPOST_MAX_RETRIES", "0"), archive);
      final List<String> beforeHeal = readAll(out.resolve(Topics.NEWS_ITEMS.name()));
      proxy.heal();
      final CliRunner.Result resumed = CliRunner.run(archive);

      assertThat(stalled.exitCode()).as(stalled.err()).isEqualTo(Outpost.EXIT_FAILURE);
      assertThat(stalled.err()).contains("schema registry unavailable", "nothing skipped", "Run the same command again");
      assertThat(stalled.out()).doesNotContain("Archived");
      assertThat(beforeHeal).doesNotHaveDuplicates().allMatch(id -> id.startsWith("old-"));
      assertThat(resumed.exitCode()).as(resumed.err()).isZero();
      final List<String> archived = readAll(out.resolve(Topics.NEWS_ITEMS.name()));
      assertThat(archived).doesNotHaveDuplicates().hasSize(ids.size());
      assertThat(new HashSet<>(archived)).isEqualTo(ids);
    }
  }

  @Test
  void aPositionPastTheTopicsEndIsRefusedRatherThanSkippingItsRecords() throws Exception {
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir.resolve("stack")).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()))) {
      publish(stack, registry, "a", Instant.parse("2026-11-20T10:00:00Z"));
      final Path out = dir.resolve("archive");
      final String[] archive = {"archive", "--out", out.toString(), "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl()};
      assertThat(CliRunner.run(archive).exitCode()).isZero();
      // As if the topic had been deleted and created again since: it ends before the position.
      final Path position = out.resolve(Topics.NEWS_ITEMS.name()).resolve(ArchiveDirectory.POSITION_FILE);
      final ObjectNode json = (ObjectNode) JSON.readTree(position.toFile());
      final ObjectNode offsets = (ObjectNode) json.get("offsets");
      offsets.fieldNames().forEachRemaining(p -> offsets.put(p, 1_000L));
      Files.writeString(position, json.toString());

      final CliRunner.Result refused = CliRunner.run(archive);

      assertThat(refused.exitCode()).isEqualTo(Outpost.EXIT_FAILURE);
      assertThat(refused.err()).contains("up to offset 1000", "now ends at 1", "deleted and created again", ArchiveDirectory.POSITION_FILE);
    }
  }

  @Test
  void aTopicOfRawBytesIsRefused() {
    final CliRunner.Result result = CliRunner.run("archive", "--topic", "news.items.dlq.v1", "--out", dir.toString());

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("holds raw bytes");
  }

  /** Every id in every day file of the directory. */
  private static List<String> readAll(final Path files) throws Exception {
    final List<String> ids = new ArrayList<>();
    if (!Files.isDirectory(files)) {
      return ids;
    }
    try (Stream<Path> list = Files.list(files)) {
      for (final Path file : list.filter(p -> p.toString().endsWith(".avro")).sorted().toList()) {
        ids.addAll(read(file.toFile()));
      }
    }
    return ids;
  }

  /**
   * Publishes items spread over three days. The older ones are spread over all partitions; the
   * newer ones, in one partition, are written under a second schema, NewsItem with one more field,
   * which the archive must fetch when it meets them.
   */
  private static List<String> publishMany(
      final EmbeddedStack stack, final SchemaRegistryClient registry, final String prefix, final int count, final boolean newerSchema)
      throws Exception {
    final List<String> ids = new ArrayList<>();
    final List<Future<RecordMetadata>> sent = new ArrayList<>();
    final int newer = newerSchema ? registry.register(Topics.NEWS_ITEMS.name() + "-value", newerSchema()) : -1;
    try (SpecificAvroSerializer<NewsItem> values = new SpecificAvroSerializer<>(registry)) {
      values.configure(Map.of(), false);
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(stack.kafkaProperties(), new StringSerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < count; i++) {
          final String id = String.format(Locale.ROOT, "%s-%05d", prefix, i);
          final NewsItem item =
              NewsItem.newBuilder().setId(id).setSource("it").setTitle("Item " + id)
                  // A few hundred bytes, so the files grow by many Avro blocks.
                  .setBody(("Text of " + id + ". ").repeat(25))
                  .setPublishedAt(Instant.parse("2026-11-20T10:00:00Z").plus(Duration.ofDays(i % 3)))
                  .setIngestedAt(Instant.now()).build();
          byte[] bytes = values.serialize(Topics.NEWS_ITEMS.name(), item);
          if (newerSchema) {
            // The newer schema only adds a last field, a union defaulting to null: its encoding
            // of the same item is the older one's followed by the union's branch, 0 for null.
            final byte[] payload = Arrays.copyOfRange(bytes, WireFormat.HEADER_SIZE, bytes.length + 1);
            bytes = WireFormat.write(newer, payload);
          }
          if (newerSchema) {
            // The newer records share one key, so one partition: the others are read to their
            // end before the run stalls.
            sent.add(producer.send(new ProducerRecord<>(Topics.NEWS_ITEMS.name(), prefix, bytes)));
          } else if (i < Topics.NEWS_ITEMS.partitions()) {
            // One record to each partition of the new topic first, each acknowledged, before
            // many are in flight at once.
            producer.send(new ProducerRecord<>(Topics.NEWS_ITEMS.name(), i, id, bytes)).get(30, TimeUnit.SECONDS);
          } else {
            sent.add(producer.send(new ProducerRecord<>(Topics.NEWS_ITEMS.name(), id, bytes)));
          }
          ids.add(id);
        }
        producer.flush();
        assertThat(sent).as("every record acknowledged").allSatisfy(s -> assertThat(s).succeedsWithin(Duration.ofSeconds(30)));
      }
    }
    return ids;
  }

  private static Schema newerSchema() throws Exception {
    final ObjectNode json = (ObjectNode) JSON.readTree(NewsItem.getClassSchema().toString());
    final ObjectNode field = ((ArrayNode) json.get("fields")).addObject();
    field.put("name", "archiveNote");
    field.putArray("type").add("null").add("string");
    field.putNull("default");
    return new Schema.Parser().parse(json.toString());
  }

  private static int newerSchemaId(final SchemaRegistryClient registry) throws Exception {
    return registry.register(Topics.NEWS_ITEMS.name() + "-value", newerSchema());
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
