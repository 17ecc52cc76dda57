package dev.outpost.ingest;

import dev.outpost.clients.ReadCursor;
import dev.outpost.clients.ReadRequest;
import dev.outpost.clients.RecordHandler;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.clients.TopicReader;
import dev.outpost.model.TopicSpec;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import dev.outpost.registry.serde.WireFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;

/**
 * One run of an archive, as {@code outpost archive} runs it: reads a topic of Avro records, read
 * committed, from where the {@link ArchiveDirectory} (else the consumer group) stands to where
 * the topic ended when the run started, and appends each record to the day file of its event
 * time. Every record lands once: the files and the offsets they cover are committed together,
 * every {@value #COMMIT_RECORDS} records or {@link #COMMIT_INTERVAL}, and then the group.
 *
 * <p>A record whose schema the registry cannot give now stops the run after committing what came
 * before it, so the next run starts exactly there; a record that cannot be read at all is
 * reported and passed over.
 */
public final class ArchiveJob {

  /** Records per commit: each commit fsyncs the files it touched. */
  public static final int COMMIT_RECORDS = 2_000;

  /** The longest a slow read goes without a commit. */
  public static final Duration COMMIT_INTERVAL = Duration.ofSeconds(10);

  /** How often the progress callback is told how far the run got. */
  public static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

  /**
   * How long the reader's polls may go without any partition getting closer to its end before the
   * run fails, naming the partitions behind. Counted from the last progress and only while
   * polling, not from the start: a first run over months of news takes as long as it takes.
   */
  static final Duration STALL_TIMEOUT = Duration.ofMillis(TopicAdmin.REACH_TIMEOUT_MS);

  private final TopicSpec<String, SpecificRecord> topic;
  private final Path dir;
  private final Consumer<String> report;
  private final int commitRecords;
  private final Duration commitInterval;
  private final Duration progressInterval;
  private final LongSupplier nanoTime;

  /**
   * @param topic a topic of the catalog with Avro record values
   * @param out where the archive goes; this topic's day files are in {@code out/<topic>}
   * @param report told, in a sentence, of every file the run cuts back or removes and of every
   *     record it passes over as unreadable
   * @throws IllegalArgumentException when the topic holds raw bytes, not Avro records
   */
  public ArchiveJob(final TopicSpec<?, ?> topic, final Path out, final Consumer<String> report) {
    this(topic, out, report, COMMIT_RECORDS, COMMIT_INTERVAL, PROGRESS_INTERVAL, System::nanoTime);
  }

  ArchiveJob(
      final TopicSpec<?, ?> topic,
      final Path out,
      final Consumer<String> report,
      final int commitRecords,
      final Duration commitInterval,
      final Duration progressInterval,
      final LongSupplier nanoTime) {
    if (topic.valueType() == byte[].class) {
      throw new IllegalArgumentException(topic.name() + " holds raw bytes, not Avro records");
    }
    this.topic = avroTopic(topic);
    this.dir = out.resolve(topic.name());
    this.report = report;
    this.commitRecords = commitRecords;
    this.commitInterval = commitInterval;
    this.progressInterval = progressInterval;
    this.nanoTime = nanoTime;
  }

  /** The catalog says what each topic holds; its Avro-valued topics have string keys and generated records. */
  @SuppressWarnings("unchecked")
  private static TopicSpec<String, SpecificRecord> avroTopic(final TopicSpec<?, ?> spec) {
    return (TopicSpec<String, SpecificRecord>) spec;
  }

  /** @return the directory of the topic's day files */
  public Path directory() {
    return dir;
  }

  /**
   * Archives what the topic holds beyond the archive's position, up to its end when the run
   * starts.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param group the consumer group the progress is also committed to (for lag), and read from
   *     when the directory has no position yet
   * @param registry where the records' schemas are; the caller closes it
   * @param stop counted down to stop after the current poll; what was archived is committed
   * @param progress told the records archived so far, at most once per {@link #PROGRESS_INTERVAL}
   * @return the records archived by this run
   * @throws IngestException when another run holds the directory
   * @throws IllegalStateException when the topic ends before the archive's position (it was
   *     created again), or a record's schema cannot be had now; what came before is kept
   * @throws IOException when the files cannot be read or written
   */
  public long run(
      final Map<String, Object> kafkaProperties,
      final String group,
      final SchemaRegistryClient registry,
      final CountDownLatch stop,
      final LongConsumer progress)
      throws IOException {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (ArchiveDirectory archive = ArchiveDirectory.open(dir, report);
        TopicReader<String, SpecificRecord> reader = TopicSerdes.reader(topic, props, IsolationLevel.READ_COMMITTED, registry)) {
      return run(archive, reader, stop, progress);
    }
  }

  /**
   * The run over an archive and a reader the caller opened and closes.
   *
   * @see #run(Map, String, SchemaRegistryClient, CountDownLatch, LongConsumer)
   */
  long run(
      final ArchiveDirectory archive,
      final TopicReader<String, SpecificRecord> reader,
      final CountDownLatch stop,
      final LongConsumer progress)
      throws IOException {
    final String name = topic.name();
    // The files' own record of what they hold wins over the group's: the group is committed
    // after the files, so after a crash it may lag behind them, never lead.
    final ReadCursor<String, SpecificRecord> cursor =
        reader.open(ReadRequest.fromCommitted(name, STALL_TIMEOUT).startingAt(archive.offsets()));
    final Map<TopicPartition, Long> end = cursor.endOffsets();
    archive.offsets().forEach((partition, offset) -> {
      final Long last = end.get(new TopicPartition(name, partition));
      if (last != null && offset > last) {
        // Offsets only grow: a topic that ends before the archive's position was recreated,
        // and reading on from there would skip its records without a word.
        throw new IllegalStateException(
            "The archive in " + dir + " holds " + name + "-" + partition + " up to offset " + offset + ", but the topic now ends at "
                + last + ": it was deleted and created again. Archive it into another --out, or move " + dir.resolve(ArchiveDirectory.POSITION_FILE)
                + " away to go on from the consumer group's offsets");
      }
    });
    final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    final long[] written = {0};
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
            report.accept("skipping unreadable record " + e.topicPartition() + "@" + e.offset() + ": " + e.getMessage());
            done.put(e.topicPartition(), new OffsetAndMetadata(e.offset() + 1));
          }
        };
    long lastReport = nanoTime.getAsLong();
    long lastCommit = lastReport;
    try {
      while (stop.getCount() > 0 && cursor.poll(handler)) {
        if (archive.uncommitted() >= commitRecords || nanoTime.getAsLong() - lastCommit > commitInterval.toNanos()) {
          commit(archive, reader, done);
          lastCommit = nanoTime.getAsLong();
        }
        if (nanoTime.getAsLong() - lastReport > progressInterval.toNanos()) {
          progress.accept(written[0]);
          lastReport = nanoTime.getAsLong();
        }
      }
    } catch (final UncheckedIOException e) {
      throw e.getCause();
    }
    commit(archive, reader, done);
    return written[0];
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

  /** @return the record's publication time when its schema has one, else its timestamp */
  static Instant eventTime(final ConsumerRecord<String, SpecificRecord> r) {
    final Schema.Field field = r.value().getSchema().getField("publishedAt");
    if (field != null && r.value().get(field.pos()) instanceof Instant published) {
      return published;
    }
    return Instant.ofEpochMilli(Math.max(0, r.timestamp()));
  }
}
