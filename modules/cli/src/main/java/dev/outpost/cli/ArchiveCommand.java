package dev.outpost.cli;

import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.KafkaAccess;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroDeserializer;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost archive}: writes a topic to Avro container files, one per day of event time, so
 * history outlives the topic's retention. Each run appends what arrived since the last one.
 */
@Command(
    name = "archive",
    mixinStandardHelpOptions = true,
    description = {
      "Write a topic (news.items.v1 by default) to Avro container files under --out, one per day of",
      "event time (publishedAt, else the record's timestamp), with the schema embedded and deflate",
      "compression. Reads what is there when it starts and exits; progress is kept in a consumer",
      "group, so the next run appends only what arrived since."
    })
public final class ArchiveCommand implements Callable<Integer> {

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClusterOptions cluster;

  @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "news.items.v1", description = "The topic to archive. Default: ${DEFAULT-VALUE}.")
  private String topic;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the files go: DIR/<topic>/<yyyy-mm-dd>.avro.")
  private Path out;

  @Option(names = "--group", paramLabel = "GROUP", defaultValue = "outpost-archive", description = "Consumer group that keeps the archive's progress. Default: ${DEFAULT-VALUE}.")
  private String group;

  @Override
  public Integer call() throws IOException {
    final TopicSpec<?, ?> spec0 =
        Topics.byName(topic)
            .orElseThrow(() -> new UserException("Unknown topic '" + topic + "'; archive one of the catalog's: " + KafkaAccess.names(Topics.PIPELINE)));
    if (spec0.valueType() == byte[].class) {
      throw new UserException("Topic '" + topic + "' holds raw bytes, not Avro records; archive one of " + KafkaAccess.names(Topics.PIPELINE.subList(0, 6)));
    }
    final ResolvedConfig config = cluster.resolve(root.env());
    KafkaAccess.requireTopics(config.kafkaProperties(), List.of(spec0));
    final Path dir = out.resolve(topic);
    Files.createDirectories(dir);
    final PrintWriter err = spec.commandLine().getErr();
    final Map<String, Object> props = new HashMap<>(config.kafkaProperties());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    final Map<LocalDate, DataFileWriter<SpecificRecord>> writers = new HashMap<>();
    long written = 0;
    try (SchemaRegistryClient registry = config.newRegistryClient();
        KafkaConsumer<String, SpecificRecord> consumer =
            new KafkaConsumer<>(props, new StringDeserializer(), new SpecificAvroDeserializer<>(registry, recordClass(spec0)))) {
      final List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(15)).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
      long lastReport = System.nanoTime();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        final Iterable<ConsumerRecord<String, SpecificRecord>> records;
        try {
          records = consumer.poll(Duration.ofMillis(500));
        } catch (final RecordDeserializationException e) {
          err.printf("outpost: skipping unreadable record %s@%d: %s%n", e.topicPartition(), e.offset(), e.getMessage());
          consumer.seek(e.topicPartition(), e.offset() + 1);
          continue;
        }
        for (final ConsumerRecord<String, SpecificRecord> r : records) {
          final TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (r.offset() >= end.get(tp)) {
            continue;
          }
          if (r.value() != null) {
            final LocalDate day = LocalDate.ofInstant(eventTime(r), ZoneOffset.UTC);
            writers.computeIfAbsent(day, d -> open(dir.resolve(d + ".avro"), r.value())).append(r.value());
            written++;
          }
          done.put(tp, new OffsetAndMetadata(r.offset() + 1));
        }
        if (System.nanoTime() - lastReport > 5_000_000_000L) {
          err.printf("archived %,d record(s)%n", written);
          err.flush();
          lastReport = System.nanoTime();
        }
      }
      // Files first, then progress: a crash in between repeats records in the archive, never loses them.
      for (final DataFileWriter<SpecificRecord> w : writers.values()) {
        w.close();
      }
      writers.clear();
      if (!done.isEmpty()) {
        consumer.commitSync(done);
      }
    } finally {
      for (final DataFileWriter<SpecificRecord> w : writers.values()) {
        w.close();
      }
    }
    spec.commandLine().getOut().printf("Archived %d record(s) of %s to %s%n", written, topic, dir);
    spec.commandLine().getOut().flush();
    return Outpost.EXIT_OK;
  }

  /** The catalog says what each topic holds; Avro-valued topics hold generated records. */
  @SuppressWarnings("unchecked")
  private static Class<SpecificRecord> recordClass(final TopicSpec<?, ?> spec) {
    return (Class<SpecificRecord>) spec.valueType();
  }

  private static Instant eventTime(final ConsumerRecord<String, SpecificRecord> r) {
    final Schema.Field field = r.value().getSchema().getField("publishedAt");
    if (field != null && r.value().get(field.pos()) instanceof Instant published) {
      return published;
    }
    return Instant.ofEpochMilli(Math.max(0, r.timestamp()));
  }

  private static DataFileWriter<SpecificRecord> open(final Path file, final SpecificRecord first) {
    final Schema schema = first.getSchema();
    try {
      // The record's own model: it knows its classes and conversions, so Avro needs no class
      // look-up by name (which its allow-list refuses for classes it was not told to trust).
      final DataFileWriter<SpecificRecord> writer =
          new DataFileWriter<>(new SpecificDatumWriter<>(schema, ((SpecificRecordBase) first).getSpecificData()));
      final File f = file.toFile();
      if (f.exists() && f.length() > 0) {
        return writer.appendTo(f);
      }
      return writer.setCodec(CodecFactory.deflateCodec(6)).create(schema, f);
    } catch (final IOException e) {
      throw new UncheckedIOException("Cannot open the archive file " + file, e);
    }
  }
}
