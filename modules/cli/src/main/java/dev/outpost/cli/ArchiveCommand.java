package dev.outpost.cli;

import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.CatalogTopics;
import dev.outpost.clients.ReadCursor;
import dev.outpost.clients.ReadRequest;
import dev.outpost.clients.RecordHandler;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.clients.TopicReader;
import dev.outpost.ingest.ArchiveDirectory;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import dev.outpost.registry.serde.WireFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost archive}: writes a topic to Avro container files, one per day of event time, so
 * history outlives the topic's retention. Each run appends what arrived since the last one, every
 * record exactly once: {@link ArchiveDirectory} commits the files and the offsets they cover
 * together, in batches, and a run after a crash first cuts the files back to the last commit. A
 * record whose schema the registry cannot give now stops the run (exit 1) rather than being
 * skipped.
 */
@Command(
    name = "archive",
    mixinStandardHelpOptions = true,
    description = {
      "Write a topic (news.items.v1 by default) to Avro container files under --out, one per day of",
      "event time (publishedAt, else the record's timestamp), with the schema embedded and deflate",
      "compression. Reads what is there when it starts and exits. Every record lands once: the files",
      "and the offsets they cover are committed together (DIR/<topic>/.archive-position), and a run",
      "after a crash or a kill first cuts the files back to the last commit. If the schema registry",
      "does not answer, it stops (exit 1) with what it archived so far kept; run it again later."
    })
public final class ArchiveCommand implements Callable<Integer> {

  /** Records per commit: each commit fsyncs the files it touched. */
  private static final int COMMIT_RECORDS = 2_000;

  /** The longest a slow read goes without a commit. */
  private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(10);

  /**
   * How long the reader's polls may go without any partition getting closer to its end before the
   * run fails, naming the partitions behind. Counted from the last progress and only while
   * polling, not from the start: a first run over months of news takes as long as it takes.
   */
  private static final Duration STALL_TIMEOUT = Duration.ofMillis(TopicAdmin.REACH_TIMEOUT_MS);

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClusterOptions cluster;

  @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "news.items.v1", description = "The topic to archive. Default: ${DEFAULT-VALUE}.")
  private String topic;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the files go: DIR/<topic>/<yyyy-mm-dd>.avro.")
  private Path out;

  @Option(names = "--group", paramLabel = "GROUP", defaultValue = "outpost-archive", description = "Consumer group the progress is also committed to (for lag), and read from when DIR has no position yet. Default: ${DEFAULT-VALUE}.")
  private String group;

  @Override
  public Integer call() throws IOException {
    final TopicSpec<?, ?> spec0 =
        Topics.byName(topic)
            .orElseThrow(() -> new UserException("Unknown topic '" + topic + "'; archive one of the catalog's: " + CatalogTopics.names(Topics.PIPELINE)));
    if (spec0.valueType() == byte[].class) {
      throw new UserException("Topic '" + topic + "' holds raw bytes, not Avro records; archive one of " + CatalogTopics.names(Topics.PIPELINE.subList(0, 6)));
    }
    final ResolvedConfig config = cluster.resolve(root.env());
    TopicAdmin.requireTopics(config.kafkaProperties(), List.of(spec0.name()));
    final Path dir = out.resolve(topic);
    final PrintWriter err = spec.commandLine().getErr();
    final Map<String, Object> props = new HashMap<>(config.kafkaProperties());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    final long[] written = {0};
    try (ArchiveDirectory archive = ArchiveDirectory.open(dir, line -> report(err, line));
        SchemaRegistryClient registry = config.newRegistryClient();
        TopicReader<String, SpecificRecord> reader = TopicSerdes.reader(avroTopic(spec0), props, IsolationLevel.READ_COMMITTED, registry)) {
      // The files' own record of what they hold wins over the group's: the group is committed
      // after the files, so after a crash it may lag behind them, never lead.
      final ReadCursor<String, SpecificRecord> cursor =
          reader.open(ReadRequest.fromCommitted(topic, STALL_TIMEOUT).startingAt(archive.offsets()));
      final Map<TopicPartition, Long> end = cursor.endOffsets();
      archive.offsets().forEach((partition, offset) -> {
        final Long last = end.get(new TopicPartition(topic, partition));
        if (last != null && offset > last) {
          // Offsets only grow: a topic that ends before the archive's position was recreated,
          // and reading on from there would skip its records without a word.
          throw new IllegalStateException(
              "The archive in " + dir + " holds " + topic + "-" + partition + " up to offset " + offset + ", but the topic now ends at "
                  + last + ": it was deleted and created again. Archive it into another --out, or move " + dir.resolve(ArchiveDirectory.POSITION_FILE)
                  + " away to go on from the consumer group's offsets");
        }
      });
      final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
      final RecordHandler<String, SpecificRecord> handler =
          new RecordHandler<>() {
            @Override
            public void accept(final ConsumerRecord<String, SpecificRecord> r) {
              if (r.value() != null) {
                try {
                  archive.append(LocalDate.ofInstant(eventTime(r), ZoneOffset.UTC), r.value());
                } catch (final IOException e) {
                  throw new UncheckedIOException(e);
                }
                written[0]++;
              }
              done.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }

            @Override
            public void unreadable(final RecordDeserializationException e) {
              final Optional<WireFormatException> unavailable = WireFormatException.transientIn(e);
              if (unavailable.isPresent()) {
                // The record is fine; only its schema cannot be fetched now. Keep what is archived
                // and stop before it, so the next run starts exactly there.
                try {
                  commit(archive, reader, done);
                } catch (final IOException io) {
                  throw new UncheckedIOException(io);
                }
                throw new IllegalStateException(
                    String.format(
                        Locale.ROOT,
                        "Stopped at %s@%d, with %,d record(s) archived and nothing skipped: %s. Run the same command again once the registry answers",
                        e.topicPartition(), e.offset(), written[0], unavailable.get().getMessage()),
                    unavailable.get());
              }
              err.printf("outpost: skipping unreadable record %s@%d: %s%n", e.topicPartition(), e.offset(), e.getMessage());
              done.put(e.topicPartition(), new OffsetAndMetadata(e.offset() + 1));
            }
          };
      long lastReport = System.nanoTime();
      long lastCommit = System.nanoTime();
      try {
        while (cursor.poll(handler)) {
          if (archive.uncommitted() >= COMMIT_RECORDS || System.nanoTime() - lastCommit > COMMIT_INTERVAL.toNanos()) {
            commit(archive, reader, done);
            lastCommit = System.nanoTime();
          }
          if (System.nanoTime() - lastReport > 5_000_000_000L) {
            err.printf("archived %,d record(s)%n", written[0]);
            err.flush();
            lastReport = System.nanoTime();
          }
        }
      } catch (final UncheckedIOException e) {
        throw e.getCause();
      }
      commit(archive, reader, done);
    }
    final long total = written[0];
    spec.commandLine().getOut().printf("Archived %d record(s) of %s to %s%n", total, topic, dir);
    spec.commandLine().getOut().flush();
    return Outpost.EXIT_OK;
  }

  /**
   * Files first, then their position, then the group: a crash between two steps leaves files the
   * next run cuts back to the position, and a group the position overrides.
   */
  private static void commit(
      final ArchiveDirectory archive, final TopicReader<String, SpecificRecord> reader, final Map<TopicPartition, OffsetAndMetadata> done)
      throws IOException {
    if (done.isEmpty()) {
      return;
    }
    final Map<Integer, Long> next = new HashMap<>();
    done.forEach((tp, offset) -> next.put(tp.partition(), offset.offset()));
    archive.commit(next);
    reader.commitSync(done);
    done.clear();
  }

  private static void report(final PrintWriter err, final String line) {
    err.println("outpost: " + line);
    err.flush();
  }

  /** The catalog says what each topic holds; its Avro-valued topics have string keys and generated records. */
  @SuppressWarnings("unchecked")
  private static TopicSpec<String, SpecificRecord> avroTopic(final TopicSpec<?, ?> spec) {
    return (TopicSpec<String, SpecificRecord>) spec;
  }

  private static Instant eventTime(final ConsumerRecord<String, SpecificRecord> r) {
    final Schema.Field field = r.value().getSchema().getField("publishedAt");
    if (field != null && r.value().get(field.pos()) instanceof Instant published) {
      return published;
    }
    return Instant.ofEpochMilli(Math.max(0, r.timestamp()));
  }
}
