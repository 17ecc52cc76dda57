package dev.outpost.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** What a read from the committed offset found, turned into lag in records. */
class RecordScanTest {

  private static final TopicPartition P0 = new TopicPartition("alerts.parade.v1", 0);

  @Test
  void aCaughtUpReaderOfATransactionalTopicIsOneOffsetButNoRecordBehind() {
    // given: records 0-4, the marker at 5, records 6-8, the marker at 9; the end is 10, and a
    // group that read everything committed 9, the offset after its last record
    final RecordScan.Found found = new RecordScan.Found(9, 10, new long[] {});
    final ConsumerGroupLag lag =
        new ConsumerGroupLag("g", LogEnd.LAST_STABLE_OFFSET, List.of(new ConsumerGroupLag.Partition(P0, OptionalLong.of(9), 10)));

    // when
    final ConsumerGroupLag counted = lag.countingRecordsOnly(Map.of(P0, found));

    // then
    assertThat(lag.totalLag()).as("in offsets").isEqualTo(1);
    assertThat(counted.totalLag()).as("in records").isZero();
    assertThat(counted.partitions().get(0).skipped()).isEqualTo(1);
    assertThat(counted.partitions().get(0).next()).as("nothing left to read: the end").isEqualTo(10);
  }

  @Test
  void aGroupBehindIsBehindByItsRecordsOnlyAndNextIsTheFirstOfThem() {
    // the same log; the group committed 5, before the first marker
    final RecordScan.Found found = new RecordScan.Found(5, 10, new long[] {6, 7, 8});

    assertThat(found.skippedFrom(5)).isEqualTo(2);
    assertThat(found.nextRecordFrom(5)).isEqualTo(6);
    assertThat(found.skippedFrom(7)).isEqualTo(1);
    assertThat(found.nextRecordFrom(7)).isEqualTo(7);
    assertThat(found.skippedFrom(9)).isEqualTo(1);
  }

  @Test
  void offsetsBeyondWhatWasReadCountAsRecordsSoLagIsNeverUnderstated() {
    // read from 100 up to 110 (the limit) of an end at 1,000: two markers seen in the part read
    final RecordScan.Found found = new RecordScan.Found(100, 110, new long[] {101, 102, 103, 104, 105, 106, 107, 108});
    final ConsumerGroupLag lag =
        new ConsumerGroupLag("g", LogEnd.LAST_STABLE_OFFSET, List.of(new ConsumerGroupLag.Partition(P0, OptionalLong.of(100), 1_000)));

    final ConsumerGroupLag counted = lag.countingRecordsOnly(Map.of(P0, found));

    assertThat(counted.totalLag()).isEqualTo(898);
    assertThat(counted.partitions().get(0).next()).isEqualTo(101);
  }

  @Test
  void aPartitionNotReadKeepsItsLagInOffsets() {
    final ConsumerGroupLag lag =
        new ConsumerGroupLag("g", LogEnd.LAST_STABLE_OFFSET, List.of(new ConsumerGroupLag.Partition(P0, OptionalLong.of(3), 7)));

    assertThat(lag.countingRecordsOnly(Map.of()).totalLag()).isEqualTo(4);
  }

  @Test
  void aTopicThisPrincipalMayNotReadKeepsItsLagInOffsetsAndTheOthersAreStillRead() {
    // given: a monitor allowed to read P0 but only to describe 'secret.v1'
    final TopicPartition secret = new TopicPartition("secret.v1", 0);
    final MockConsumer<byte[], byte[]> reader = new MockConsumer<>("earliest");
    reader.updateBeginningOffsets(Map.of(P0, 0L, secret, 0L));
    reader.schedulePollTask(
        () -> {
          for (long offset = 0; offset < 3; offset++) {
            reader.addRecord(new ConsumerRecord<>(P0.topic(), 0, offset, new byte[0], new byte[0]));
          }
        });
    reader.setPollException(new TopicAuthorizationException(java.util.Set.of(secret.topic())));

    // when
    final Map<TopicPartition, RecordScan.Found> found =
        RecordScan.scan(reader, Map.of(P0, 0L, secret, 0L), Map.of(P0, 3L, secret, 5L), 1_000, java.time.Duration.ofSeconds(10));

    // then
    assertThat(found.get(P0).records()).containsExactly(0, 1, 2);
    final ConsumerGroupLag lag =
        new ConsumerGroupLag("g", LogEnd.LAST_STABLE_OFFSET, List.of(new ConsumerGroupLag.Partition(secret, OptionalLong.of(0), 5)));
    assertThat(lag.countingRecordsOnly(found).totalLag()).as("in offsets, as nothing could be read").isEqualTo(5);
  }
}
