package dev.outpost.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.model.CleanupPolicy;
import dev.outpost.model.TopicSpec;
import dev.outpost.testkit.KafkaClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On a real broker, with a transaction left open: a read_committed read stops at the last stable
 * offset (and does not run into its deadline), a read_uncommitted one reads on to the high
 * watermark, and a group that has read everything committed has lag 0 against the last stable
 * offset but not against the high watermark. Once the transaction commits, both ends agree.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionalTopicIT {

  private static final String TOPIC = "clients.it.v1";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final String GROUP = "clients-it";
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @BeforeAll
  static void topic() {
    KAFKA.createTopics(new TopicSpec<>(TOPIC, String.class, String.class, 1, CleanupPolicy.DELETE));
  }

  private static KafkaProducer<String, String> transactionalProducer() {
    final Map<String, Object> props = KAFKA.clientConfig();
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "clients-it-tx");
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  private static TopicReader<String, String> reader(final IsolationLevel isolation) {
    final Map<String, Object> props = KAFKA.clientConfig();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
    return TopicReader.create(props, isolation, new StringDeserializer(), new StringDeserializer());
  }

  @Test
  void aReadCommittedReadStopsAtTheLastStableOffsetAndTheTwoLagsDifferWhileATransactionIsOpen() {
    try (KafkaProducer<String, String> producer = transactionalProducer(); Admin admin = KAFKA.cluster().createAdmin()) {
      // given: three records committed (offsets 0-2, the commit marker at 3), then a transaction
      // left open with two more (offsets 4 and 5)
      producer.initTransactions();
      producer.beginTransaction();
      final List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        sent.add(producer.send(new ProducerRecord<>(TOPIC, "committed-" + i, "v")));
      }
      producer.commitTransaction();
      producer.beginTransaction();
      // Acknowledged once in the log, committed or not.
      sent.add(producer.send(new ProducerRecord<>(TOPIC, "open-0", "v")));
      sent.add(producer.send(new ProducerRecord<>(TOPIC, "open-1", "v")));
      producer.flush();
      assertThat(sent).as("every record acknowledged").allSatisfy(s -> assertThat(s).succeedsWithin(Duration.ofSeconds(30)));
      await()
          .alias("the open transaction's records in the log, above the last stable offset")
          .atMost(Duration.ofSeconds(30))
          .until(() -> ends(admin), ends -> ends[0] == 6 && ends[1] == 4);

      // when: read at each isolation level
      final List<String> committed = new ArrayList<>();
      final long committedEnd;
      try (TopicReader<String, String> reader = reader(IsolationLevel.READ_COMMITTED)) {
        final ReadCursor<String, String> cursor = reader.open(ReadRequest.fromBeginning(TOPIC, DEADLINE));
        committedEnd = cursor.endOffsets().get(P0);
        while (cursor.poll(r -> committed.add(r.key()))) {
          // to the end
        }
        // The group has read everything it may: it commits the last stable offset.
        reader.commitSync(Map.of(P0, new OffsetAndMetadata(cursor.positions().get(P0))));
      }
      final List<String> uncommitted = new ArrayList<>();
      try (TopicReader<String, String> reader = reader(IsolationLevel.READ_UNCOMMITTED)) {
        reader.read(ReadRequest.fromBeginning(TOPIC, DEADLINE), r -> uncommitted.add(r.key()));
      }

      // then: read_committed ends at the last stable offset, before the open transaction
      assertThat(committedEnd).isEqualTo(4);
      assertThat(committed).containsExactly("committed-0", "committed-1", "committed-2");
      assertThat(uncommitted).containsExactly("committed-0", "committed-1", "committed-2", "open-0", "open-1");

      // and the lag of a group caught up with everything committed depends on the end chosen
      final ConsumerGroupLag stable = ConsumerGroupLag.read(admin, GROUP, LogEnd.LAST_STABLE_OFFSET, DEADLINE);
      final ConsumerGroupLag watermark = ConsumerGroupLag.read(admin, GROUP, LogEnd.HIGH_WATERMARK, DEADLINE);
      assertThat(stable.partitions()).containsExactly(new ConsumerGroupLag.Partition(P0, OptionalLong.of(4), 4));
      assertThat(stable.totalLag()).isZero();
      assertThat(watermark.partitions()).containsExactly(new ConsumerGroupLag.Partition(P0, OptionalLong.of(4), 6));
      assertThat(watermark.totalLag()).isEqualTo(2);

      // when the transaction commits (its marker at 6), both ends move to 7 and agree
      producer.commitTransaction();
      await()
          .alias("both ends past the commit marker")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  List.of(
                      ConsumerGroupLag.read(admin, GROUP, LogEnd.LAST_STABLE_OFFSET, DEADLINE).totalLag(),
                      ConsumerGroupLag.read(admin, GROUP, LogEnd.HIGH_WATERMARK, DEADLINE).totalLag()),
              lags -> lags.equals(List.of(3L, 3L)));
    }
  }

  /** @return the high watermark and the last stable offset of the partition */
  private static long[] ends(final Admin admin) throws Exception {
    final long hw =
        admin.listOffsets(Map.of(P0, org.apache.kafka.clients.admin.OffsetSpec.latest()), new org.apache.kafka.clients.admin.ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
            .partitionResult(P0).get().offset();
    final long lso =
        admin.listOffsets(Map.of(P0, org.apache.kafka.clients.admin.OffsetSpec.latest()), new org.apache.kafka.clients.admin.ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
            .partitionResult(P0).get().offset();
    return new long[] {hw, lso};
  }
}
