package dev.outpost.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.clients.TopicReader;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.registry.serde.WireFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive run over a MockConsumer: which day file each record lands in, what is committed and
 * when, and where a run stops. The timeout turns a run that never ends into a failure.
 */
@Timeout(30)
class ArchiveJobTest {

  private static final String TOPIC = Topics.NEWS_ITEMS.name();
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  @TempDir Path out;

  private final MockConsumer<String, SpecificRecord> consumer = new MockConsumer<>("earliest");
  private final List<String> reports = new ArrayList<>();
  private final List<Long> progress = new ArrayList<>();
  /** The consumer group's offsets when the run ended. */
  private final Map<TopicPartition, OffsetAndMetadata> group = new HashMap<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  /** The job's clock, moved only by the tests. */
  private final AtomicLong nanos = new AtomicLong();

  /** A job that commits every {@code commitRecords} records or 10 s, and tells its progress every 5 s. */
  private ArchiveJob job(final int commitRecords) {
    return new ArchiveJob(Topics.NEWS_ITEMS, out, reports::add, commitRecords, Duration.ofSeconds(10), Duration.ofSeconds(5), nanos::get);
  }

  private long run(final ArchiveJob job) throws IOException {
    try (ArchiveDirectory archive = ArchiveDirectory.open(job.directory(), reports::add);
        TopicReader<String, SpecificRecord> reader = TopicReader.over(consumer, IsolationLevel.READ_COMMITTED)) {
      try {
        return job.run(archive, reader, stop, progress::add);
      } finally {
        // Looked at before the reader closes the consumer.
        group.putAll(consumer.committed(Set.of(P0, P1)));
      }
    }
  }

  /** The topic with two partitions, each starting at offset 0, with these end offsets. */
  private void topic(final long end0, final long end1) {
    final Node node = new Node(0, "localhost", 9092);
    consumer.updatePartitions(
        TOPIC,
        List.of(
            new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node}),
            new PartitionInfo(TOPIC, 1, node, new Node[] {node}, new Node[] {node})));
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    consumer.updateEndOffsets(Map.of(P0, end0, P1, end1));
  }

  private static ConsumerRecord<String, SpecificRecord> record(final TopicPartition tp, final long offset, final String id, final String published) {
    return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, id, item(id, published == null ? null : Instant.parse(published)));
  }

  private static NewsItem item(final String id, final Instant published) {
    return NewsItem.newBuilder()
        .setId(id)
        .setSource("test")
        .setTitle("Item " + id)
        .setBody("Text")
        .setPublishedAt(published)
        .setIngestedAt(Instant.parse("2026-11-28T10:00:00Z"))
        .build();
  }

  private static RecordDeserializationException unreadable(final TopicPartition tp, final long offset, final Throwable cause) {
    return new RecordDeserializationException(
        RecordDeserializationException.DeserializationExceptionOrigin.VALUE, tp, offset, 0L, TimestampType.CREATE_TIME, null, null, null, "bad bytes", cause);
  }

  private Map<Integer, Long> position() throws IOException {
    try (ArchiveDirectory archive = ArchiveDirectory.open(out.resolve(TOPIC), reports::add)) {
      return archive.offsets();
    }
  }

  private List<String> ids(final String day) throws IOException {
    final List<String> ids = new ArrayList<>();
    try (DataFileReader<GenericRecord> reader =
        new DataFileReader<>(out.resolve(TOPIC).resolve(day + ".avro").toFile(), new GenericDatumReader<>())) {
      reader.forEach(r -> ids.add(r.get("id").toString()));
    }
    return ids;
  }

  private List<String> dayFiles() throws IOException {
    try (Stream<Path> files = Files.list(out.resolve(TOPIC))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".avro")).sorted().toList();
    }
  }

  @Test
  void eachRecordLandsInTheFileOfItsDayAndTheFilesAndTheGroupAreCommittedToTheEnd() throws IOException {
    // given: one record without a publication time, filed by its timestamp; a tombstone
    topic(3, 2);
    consumer.schedulePollTask(
        () -> {
          consumer.addRecord(record(P0, 0, "a", "2026-11-20T10:00:00Z"));
          consumer.addRecord(record(P0, 1, "b", "2026-11-20T23:59:00Z"));
          consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 2, null, null));
          consumer.addRecord(record(P1, 0, "c", "2026-11-21T00:01:00Z"));
          consumer.addRecord(
              new ConsumerRecord<>(
                  TOPIC, 1, 1, Instant.parse("2026-11-22T08:00:00Z").toEpochMilli(), TimestampType.CREATE_TIME, 0, 0, "d",
                  item("d", null), new RecordHeaders(), Optional.empty()));
        });

    // when
    final long archived = run(job(100));

    // then
    assertThat(archived).isEqualTo(4);
    assertThat(dayFiles()).containsExactly("2026-11-20.avro", "2026-11-21.avro", "2026-11-22.avro");
    assertThat(ids("2026-11-20")).containsExactly("a", "b");
    assertThat(ids("2026-11-21")).containsExactly("c");
    assertThat(ids("2026-11-22")).containsExactly("d");
    assertThat(position()).isEqualTo(Map.of(0, 3L, 1, 2L));
    assertThat(group).isEqualTo(Map.of(P0, new OffsetAndMetadata(3), P1, new OffsetAndMetadata(2)));
  }

  @Test
  void aRunStartsWhereTheArchiveStandsNotWhereTheGroupDoes() throws IOException {
    // given: the archive holds partition 0 up to offset 2; the group says nothing
    topic(3, 0);
    try (ArchiveDirectory archive = ArchiveDirectory.open(out.resolve(TOPIC), reports::add)) {
      archive.append(LocalDate.parse("2026-11-20"), item("a", Instant.parse("2026-11-20T10:00:00Z")));
      archive.append(LocalDate.parse("2026-11-20"), item("b", Instant.parse("2026-11-20T11:00:00Z")));
      archive.commit(Map.of(0, 2L));
    }
    consumer.schedulePollTask(
        () -> {
          consumer.addRecord(record(P0, 2, "c", "2026-11-20T12:00:00Z"));
        });

    // when
    final long archived = run(job(100));

    // then
    assertThat(archived).isEqualTo(1);
    assertThat(ids("2026-11-20")).containsExactly("a", "b", "c");
    assertThat(position()).isEqualTo(Map.of(0, 3L));
  }

  @Test
  void aTopicThatEndsBeforeTheArchivesPositionIsRefusedRatherThanSkipped() throws IOException {
    topic(1, 0);
    try (ArchiveDirectory archive = ArchiveDirectory.open(out.resolve(TOPIC), reports::add)) {
      archive.commit(Map.of(0, 1_000L));
    }

    assertThatThrownBy(() -> run(job(100)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("up to offset 1000", "now ends at 1", "deleted and created again", ArchiveDirectory.POSITION_FILE);
    assertThat(position()).isEqualTo(Map.of(0, 1_000L));
  }

  @Test
  void aSchemaTheRegistryCannotGiveNowStopsTheRunWithWhatCameBeforeCommitted() throws IOException {
    topic(4, 0);
    consumer.schedulePollTask(
        () -> {
          consumer.addRecord(record(P0, 0, "a", "2026-11-20T10:00:00Z"));
          consumer.addRecord(record(P0, 1, "b", "2026-11-20T11:00:00Z"));
        });
    consumer.schedulePollTask(
        () ->
            consumer.setPollException(
                unreadable(P0, 2, new WireFormatException(WireFormatException.Problem.REGISTRY_UNAVAILABLE, "schema registry unavailable", null))));

    assertThatThrownBy(() -> run(job(100)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Stopped at " + TOPIC + "-0@2, with 2 record(s) archived and nothing skipped: schema registry unavailable")
        .hasMessageEndingWith("Run the same command again once the registry answers");
    assertThat(ids("2026-11-20")).containsExactly("a", "b");
    assertThat(position()).isEqualTo(Map.of(0, 2L));
    assertThat(group).isEqualTo(Map.of(P0, new OffsetAndMetadata(2)));
  }

  @Test
  void aRecordThatCannotBeReadAtAllIsReportedAndPassedOver() throws IOException {
    topic(3, 0);
    consumer.schedulePollTask(() -> consumer.addRecord(record(P0, 0, "a", "2026-11-20T10:00:00Z")));
    consumer.schedulePollTask(
        () ->
            consumer.setPollException(
                unreadable(P0, 1, new WireFormatException(WireFormatException.Problem.WRONG_MAGIC_BYTE, "not the wire format", null))));
    consumer.schedulePollTask(() -> consumer.addRecord(record(P0, 2, "c", "2026-11-20T12:00:00Z")));

    final long archived = run(job(100));

    assertThat(archived).isEqualTo(2);
    assertThat(ids("2026-11-20")).containsExactly("a", "c");
    assertThat(position()).isEqualTo(Map.of(0, 3L));
    assertThat(reports).containsExactly("skipping unreadable record " + TOPIC + "-0@1: bad bytes");
  }

  @Test
  void aCommitComesEveryNRecordsAndAfterTheIntervalWithoutOne() throws IOException {
    // given: commits every 2 records or 10 s; what the group holds is looked at in the next poll
    topic(5, 0);
    final List<Long> committed = new ArrayList<>();
    final Runnable look =
        () -> {
          final OffsetAndMetadata at = consumer.committed(Set.of(P0)).get(P0);
          committed.add(at == null ? 0 : at.offset());
        };
    consumer.schedulePollTask(() -> consumer.addRecord(record(P0, 0, "a", "2026-11-20T10:00:00Z")));
    consumer.schedulePollTask(
        () -> {
          look.run();
          consumer.addRecord(record(P0, 1, "b", "2026-11-20T11:00:00Z"));
        });
    consumer.schedulePollTask(
        () -> {
          look.run();
          consumer.addRecord(record(P0, 2, "c", "2026-11-20T12:00:00Z"));
          nanos.addAndGet(TimeUnit.SECONDS.toNanos(11));
        });
    consumer.schedulePollTask(
        () -> {
          look.run();
          consumer.addRecord(record(P0, 3, "d", "2026-11-20T13:00:00Z"));
        });
    consumer.schedulePollTask(
        () -> {
          look.run();
          consumer.addRecord(record(P0, 4, "e", "2026-11-20T14:00:00Z"));
        });

    final long archived = run(job(2));

    // then: none after one record, two records in, the third by time, none after the fourth
    assertThat(archived).isEqualTo(5);
    assertThat(committed).containsExactly(0L, 2L, 3L, 3L);
    assertThat(position()).isEqualTo(Map.of(0, 5L));
  }

  @Test
  void progressIsToldOncePerIntervalWithTheRecordsArchivedSoFar() throws IOException {
    topic(4, 0);
    for (int i = 0; i < 4; i++) {
      final long offset = i;
      consumer.schedulePollTask(
          () -> {
            consumer.addRecord(record(P0, offset, "r" + offset, "2026-11-20T10:00:00Z"));
            nanos.addAndGet(TimeUnit.SECONDS.toNanos(3));
          });
    }

    run(job(100));

    // 3 s, 6 s (told: 2), 9 s, 12 s: the last poll reaches the end and the run returns instead
    assertThat(progress).containsExactly(2L);
  }

  @Test
  void aStopEndsTheRunAfterThePollWithWhatWasArchivedCommitted() throws IOException {
    topic(3, 0);
    consumer.schedulePollTask(
        () -> {
          consumer.addRecord(record(P0, 0, "a", "2026-11-20T10:00:00Z"));
          stop.countDown();
        });
    consumer.schedulePollTask(() -> consumer.addRecord(record(P0, 1, "b", "2026-11-20T11:00:00Z")));

    final long archived = run(job(100));

    assertThat(archived).isEqualTo(1);
    assertThat(position()).isEqualTo(Map.of(0, 1L));
    assertThat(group).isEqualTo(Map.of(P0, new OffsetAndMetadata(1)));
  }

  @Test
  void aTopicOfRawBytesIsNotArchived() {
    assertThatThrownBy(() -> new ArchiveJob(Topics.byName("news.items.dlq.v1").orElseThrow(), out, reports::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("raw bytes");
  }
}
