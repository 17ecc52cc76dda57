package dev.outpost.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reading to the end with a MockConsumer, on a clock the test moves. The timeout turns a read that
 * never ends into a failure rather than a hung build.
 */
@Timeout(30)
class TopicReaderTest {

  private static final String TOPIC = "outpost.state.v1";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
  /** Moves 100 ms every time the reader looks at it, so every poll costs time. */
  private final AtomicLong nanos = new AtomicLong();
  private final TopicReader<String, String> reader =
      new TopicReader<>(consumer, IsolationLevel.READ_COMMITTED, () -> nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(100)));

  /** A topic of two partitions, each starting at offset 0, with these end offsets. */
  private void topic(final long end0, final long end1) {
    final Node node = new Node(0, "localhost", 9092);
    consumer.updatePartitions(
        TOPIC,
        List.of(new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node}), new PartitionInfo(TOPIC, 1, node, new Node[] {node}, new Node[] {node})));
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    consumer.updateEndOffsets(Map.of(P0, end0, P1, end1));
  }

  /** Adds a record once the reader has assigned the partitions, as a broker would hand it. */
  private void record(final TopicPartition tp, final long offset, final String key, final String value) {
    consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), offset, key, value)));
  }

  @Test
  void readsEveryPartitionToTheEndOffsetsTakenAtTheStartAndStopsThere() {
    // given: ends at 3 and 2; a record at offset 3 of partition 0 arrived after the read started
    topic(3, 2);
    consumer.schedulePollTask(
        () -> {
          for (long o = 0; o < 4; o++) {
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, o, "k" + o, "v" + o));
          }
          consumer.addRecord(new ConsumerRecord<>(TOPIC, 1, 0, "a", "x"));
          consumer.addRecord(new ConsumerRecord<>(TOPIC, 1, 1, "b", "y"));
        });
    final List<String> seen = new ArrayList<>();

    // when
    final long count = reader.read(ReadRequest.fromBeginning(TOPIC, DEADLINE), r -> seen.add(r.partition() + "@" + r.offset()));

    // then: offset 3 is past the end and is not handed over; the consumer stands on the end
    assertThat(count).isEqualTo(5);
    assertThat(seen).containsExactlyInAnyOrder("0@0", "0@1", "0@2", "1@0", "1@1");
    assertThat(consumer.position(P0)).isEqualTo(3);
    assertThat(consumer.position(P1)).isEqualTo(2);
    assertThat(consumer.paused()).isEmpty();
  }

  @Test
  void theLatestValueOfEachKeyWinsAndATombstoneRemovesItsKey() {
    topic(3, 1);
    record(P0, 0, "one", "first");
    record(P1, 0, "two", "kept");
    record(P0, 1, "one", "second");
    record(P0, 2, "gone", null);

    final Map<String, String> latest = reader.readLatest(ReadRequest.fromBeginning(TOPIC, DEADLINE));

    assertThat(latest).containsExactlyInAnyOrderEntriesOf(Map.of("one", "second", "two", "kept"));
  }

  @Test
  void aTombstoneAfterTheValueRemovesAKeySeenBefore() {
    topic(2, 0);
    record(P0, 0, "k", "v");
    record(P0, 1, "k", null);

    assertThat(reader.readLatest(ReadRequest.fromBeginning(TOPIC, DEADLINE))).isEmpty();
  }

  @Test
  void theDeadlineNamesThePartitionsStillBehindAndByHowMuch() {
    // given: partition 1 ends at 5 but only offsets 0 and 1 ever come (an open transaction, say)
    topic(1, 5);
    record(P0, 0, "a", "x");
    record(P1, 0, "b", "y");
    record(P1, 1, "c", "z");

    // when / then
    assertThatThrownBy(() -> reader.read(ReadRequest.fromBeginning(TOPIC, Duration.ofSeconds(2)), r -> {}))
        .isInstanceOfSatisfying(
            TopicReadTimeoutException.class,
            e -> {
              assertThat(e.topic()).isEqualTo(TOPIC);
              assertThat(e.behind()).containsExactlyEntriesOf(Map.of(P1, 3L));
            })
        .isInstanceOf(ClientsException.class)
        .hasMessageContaining(TOPIC + "-1 by 3")
        .hasMessageNotContaining(TOPIC + "-0")
        .hasMessageContaining("within 2s");
  }

  @Test
  void aReadDeadlineCountsTheWholeReadButACursorCountsFromItsLastProgress() {
    // given: one record per poll, five polls, each poll 100 ms on the test's clock, 250 ms allowed
    topic(5, 0);
    for (long o = 0; o < 5; o++) {
      record(P0, o, "k" + o, "v");
    }
    final ReadRequest request = ReadRequest.fromBeginning(TOPIC, Duration.ofMillis(250));

    // when / then: the cursor makes progress at every poll and gets to the end
    final ReadCursor<String, String> cursor = reader.open(request);
    final List<Long> offsets = new ArrayList<>();
    while (cursor.poll(r -> offsets.add(r.offset()))) {
      assertThat(cursor.remaining()).isEqualTo(5 - offsets.size());
    }
    assertThat(offsets).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(cursor.done()).isTrue();

    // and the same, read at once, runs out of time
    final MockConsumer<String, String> again = new MockConsumer<>("earliest");
    final TopicReader<String, String> whole = new TopicReader<>(again, IsolationLevel.READ_COMMITTED, () -> nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(100)));
    final Node node = new Node(0, "localhost", 9092);
    again.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node})));
    again.updateBeginningOffsets(Map.of(P0, 0L));
    again.updateEndOffsets(Map.of(P0, 5L));
    for (long o = 0; o < 5; o++) {
      final long offset = o;
      again.schedulePollTask(() -> again.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, "k", "v")));
    }
    assertThatThrownBy(() -> whole.read(request, r -> {})).isInstanceOf(TopicReadTimeoutException.class).hasMessageContaining("-0 by");
  }

  @Test
  void aCursorDoesNotCountTheTimeItsCallerSpendsBetweenPolls() {
    // given: a replay that waits an hour between items
    topic(3, 0);
    for (long o = 0; o < 3; o++) {
      record(P0, o, "k" + o, "v");
    }
    final ReadCursor<String, String> cursor = reader.open(ReadRequest.fromBeginning(TOPIC, Duration.ofSeconds(1)));
    final List<Long> offsets = new ArrayList<>();

    // when
    while (cursor.poll(r -> offsets.add(r.offset()))) {
      nanos.addAndGet(TimeUnit.HOURS.toNanos(1));
    }

    // then
    assertThat(offsets).containsExactly(0L, 1L, 2L);
  }

  @Test
  void aCursorFailsOncePollsMakeNoProgressForTheDeadline() {
    // given: partition 0 ends at 4, offsets 0 and 1 come, then nothing
    topic(4, 0);
    record(P0, 0, "a", "x");
    record(P0, 1, "b", "y");
    final ReadCursor<String, String> cursor = reader.open(ReadRequest.fromBeginning(TOPIC, Duration.ofSeconds(1)));

    // when / then
    assertThatThrownBy(
            () -> {
              while (cursor.poll(r -> {})) {
                // until it gives up
              }
            })
        .isInstanceOf(TopicReadTimeoutException.class)
        .hasMessageContaining(TOPIC + "-0 by 2")
        .hasMessageContaining("without progress");
    assertThat(cursor.positions()).containsEntry(P0, 2L);
  }

  @Test
  void givenPartitionsFromGivenOffsets() {
    topic(4, 3);
    consumer.schedulePollTask(
        () -> {
          for (long o = 0; o < 4; o++) {
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, o, "k" + o, "v" + o));
          }
        });
    final List<Long> offsets = new ArrayList<>();

    reader.read(ReadRequest.fromBeginning(TOPIC, DEADLINE).partitions(0).startingAt(Map.of(0, 2L)), r -> offsets.add(r.offset()));

    assertThat(offsets).containsExactly(2L, 3L);
    assertThat(consumer.assignment()).containsExactly(P0);
  }

  @Test
  void anUnreadableRecordGoesToTheHandlerWhichMaySkipIt() {
    topic(3, 0);
    record(P0, 0, "a", "x");
    consumer.schedulePollTask(
        () ->
            consumer.setPollException(
                new RecordDeserializationException(
                    RecordDeserializationException.DeserializationExceptionOrigin.VALUE, P0, 1, 0L, TimestampType.CREATE_TIME, null, null, null, "bad bytes", null)));
    record(P0, 2, "c", "z");
    final List<Long> read = new ArrayList<>();
    final List<Long> skipped = new ArrayList<>();

    reader.read(
        ReadRequest.fromBeginning(TOPIC, DEADLINE),
        new RecordHandler<>() {
          @Override
          public void accept(final ConsumerRecord<String, String> record) {
            read.add(record.offset());
          }

          @Override
          public void unreadable(final RecordDeserializationException e) {
            skipped.add(e.offset());
          }
        });

    assertThat(read).containsExactly(0L, 2L);
    assertThat(skipped).containsExactly(1L);
  }

  @Test
  void byDefaultAnUnreadableRecordStopsTheRead() {
    topic(1, 0);
    consumer.setPollException(
        new RecordDeserializationException(
            RecordDeserializationException.DeserializationExceptionOrigin.VALUE, P0, 0, 0L, TimestampType.CREATE_TIME, null, null, null, "bad bytes", null));

    assertThatThrownBy(() -> reader.read(ReadRequest.fromBeginning(TOPIC, DEADLINE), r -> {}))
        .isInstanceOf(RecordDeserializationException.class);
  }

  @Test
  void aTopicThatDoesNotExistHasNothingToRead() {
    final ReadCursor<String, String> cursor = reader.open(ReadRequest.fromBeginning("absent.v1", DEADLINE));

    assertThat(cursor.partitions()).isEmpty();
    assertThat(cursor.done()).isTrue();
    assertThat(reader.read(ReadRequest.fromBeginning("absent.v1", DEADLINE), r -> {})).isZero();
  }

  @Test
  void aReadUntilAnOffsetPastTheEndWaitsForItAndStopsThere() {
    // given: partition 0 ends at 1 for now; a writer's record at offset 1 shows on a later poll,
    // with another writer's record at offset 2 in the same fetch
    topic(1, 0);
    record(P0, 0, "old", "v");
    consumer.schedulePollTask(() -> { });
    consumer.schedulePollTask(
        () -> {
          consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, "mine", "v"));
          consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 2, "theirs", "v"));
        });
    final List<String> seen = new ArrayList<>();

    // when: read until the write at offset 1, exclusive end 2
    reader.read(ReadRequest.fromBeginning(TOPIC, DEADLINE).partitions(0).until(Map.of(0, 2L)), r -> seen.add(r.key()));

    // then: both records up to the write, nothing past it, and the consumer stands on offset 2
    assertThat(seen).containsExactly("old", "mine");
    assertThat(consumer.position(P0)).isEqualTo(2);
  }

  @Test
  void aReadUntilAnOffsetThatNeverComesFailsAtItsDeadline() {
    topic(1, 0);
    record(P0, 0, "old", "v");

    assertThatThrownBy(
            () -> reader.read(ReadRequest.fromBeginning(TOPIC, DEADLINE).partitions(0).until(Map.of(0, 5L)), r -> {}))
        .isInstanceOf(TopicReadTimeoutException.class)
        .hasMessageContaining(TOPIC + "-0 by 4");
  }
  @Test
  void readLastStartsThatManyOffsetsBeforeEachEndButNeverBeforeTheLogStart() {
    // given: partition 0 holds offsets 0 to 4; partition 1 had its head deleted and holds only 3
    topic(5, 4);
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 3L));
    consumer.schedulePollTask(
        () -> {
          for (long o = 0; o < 5; o++) {
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, o, "a" + o, "v"));
          }
          consumer.addRecord(new ConsumerRecord<>(TOPIC, 1, 3, "b3", "v"));
        });
    final List<String> seen = new ArrayList<>();

    // when
    final long count = reader.readLast(TOPIC, 2, DEADLINE, r -> seen.add(r.key()));

    // then: the last two offsets of partition 0, and what partition 1 still has
    assertThat(count).isEqualTo(3);
    assertThat(seen).containsExactlyInAnyOrder("a3", "a4", "b3");
    assertThatThrownBy(() -> reader.readLast(TOPIC, 0, DEADLINE, r -> {})).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readLastThatCannotFindThePartitionsEndsSaysWithinWhatAsPeopleWriteIt() {
    topic(5, 4);
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    consumer.setOffsetsException(new TimeoutException("no answer"));

    assertThatThrownBy(() -> reader.readLast(TOPIC, 2, DEADLINE, r -> {}))
        .isInstanceOf(ClientsException.class)
        .hasMessage("Could not find where the partitions of " + TOPIC + " start and end within 10s");
  }
}
