package dev.outpost.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.junit.jupiter.api.Test;

/** The one lag definition, against an admin client that answers like a broker. */
class ConsumerGroupLagTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final TopicPartition P0 = new TopicPartition("news.items.v1", 0);
  private static final TopicPartition P1 = new TopicPartition("news.items.v1", 1);

  private final FakeAdmin fake = new FakeAdmin();

  @Test
  void theTwoEndsDifferWhileATransactionIsOpen() {
    // given: a transaction open on partition 0 from offset 7; the high watermark is at 10
    fake.committed.put(P0, new OffsetAndMetadata(5));
    fake.highWatermark.put(P0, 10L);
    fake.lastStable.put(P0, 7L);

    // when
    final ConsumerGroupLag hw = ConsumerGroupLag.read(fake.admin(), "g", LogEnd.HIGH_WATERMARK, TIMEOUT);
    final ConsumerGroupLag lso = ConsumerGroupLag.read(fake.admin(), "g", LogEnd.LAST_STABLE_OFFSET, TIMEOUT);

    // then
    assertThat(hw.partitions()).containsExactly(new ConsumerGroupLag.Partition(P0, OptionalLong.of(5), 10));
    assertThat(hw.totalLag()).isEqualTo(5);
    assertThat(lso.partitions()).containsExactly(new ConsumerGroupLag.Partition(P0, OptionalLong.of(5), 7));
    assertThat(lso.totalLag()).isEqualTo(2);
    assertThat(fake.isolationLevelsAsked).containsExactly(IsolationLevel.READ_UNCOMMITTED, IsolationLevel.READ_COMMITTED);
    assertThat(hw.end()).isEqualTo(LogEnd.HIGH_WATERMARK);
  }

  @Test
  void aPartitionWithoutACommitIsReportedAsSuchNotAsLagZero() {
    // given: the group committed partition 0 only; partition 1 is empty
    fake.committed.put(P0, new OffsetAndMetadata(3));
    fake.highWatermark.put(P0, 4L);
    fake.highWatermark.put(P1, 0L);

    // when
    final ConsumerGroupLag lag = ConsumerGroupLag.read(fake.admin(), "g", List.of(P0, P1), LogEnd.HIGH_WATERMARK, TIMEOUT);

    // then
    assertThat(lag.partitions()).hasSize(2);
    final ConsumerGroupLag.Partition none = lag.partitions().get(1);
    assertThat(none.partition()).isEqualTo(P1);
    assertThat(none.committed()).isEmpty();
    assertThat(none.lag()).isEmpty();
    assertThat(lag.uncommitted()).containsExactly(P1);
    assertThat(lag.totalLag()).isEqualTo(1);
  }

  @Test
  void withoutPartitionsNamedOnlyThoseTheGroupCommittedAreReported() {
    fake.committed.put(P1, new OffsetAndMetadata(2));
    fake.highWatermark.put(P0, 9L);
    fake.highWatermark.put(P1, 2L);

    final ConsumerGroupLag lag = ConsumerGroupLag.read(fake.admin(), "g", LogEnd.LAST_STABLE_OFFSET, TIMEOUT);

    assertThat(lag.partitions()).extracting(ConsumerGroupLag.Partition::partition).containsExactly(P1);
    assertThat(lag.partitions().get(0).lag()).hasValue(0);
    assertThat(lag.uncommitted()).isEmpty();
  }

  @Test
  void aGroupThatCommittedNothingHasNoPartitionsAndAsksForNoEnds() {
    final ConsumerGroupLag lag = ConsumerGroupLag.read(fake.admin(), "new", LogEnd.LAST_STABLE_OFFSET, TIMEOUT);

    assertThat(lag.partitions()).isEmpty();
    assertThat(fake.isolationLevelsAsked).isEmpty();
  }

  @Test
  void aCommitPastTheEndIsNotNegativeLag() {
    fake.committed.put(P0, new OffsetAndMetadata(12));
    fake.highWatermark.put(P0, 4L);

    final ConsumerGroupLag lag = ConsumerGroupLag.read(fake.admin(), "g", LogEnd.HIGH_WATERMARK, TIMEOUT);

    assertThat(lag.partitions().get(0).lag()).hasValue(0);
    assertThat(lag.partitions().get(0).committed()).hasValue(12);
  }

  @Test
  void aRefusalIsTheModulesExceptionWithKafkasCause() {
    fake.committedFailure = new GroupAuthorizationException("not allowed");

    assertThatThrownBy(() -> ConsumerGroupLag.read(fake.admin(), "g", LogEnd.HIGH_WATERMARK, TIMEOUT))
        .isInstanceOf(ClientsException.class)
        .hasMessageContaining("group g")
        .hasCauseInstanceOf(GroupAuthorizationException.class);
  }

  @Test
  void theCallerMustChooseAnEnd() {
    assertThatThrownBy(() -> ConsumerGroupLag.read(fake.admin(), "g", null, TIMEOUT))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("HIGH_WATERMARK");
  }
}
