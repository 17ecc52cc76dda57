package dev.outpost.ops.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.embedded.EmbeddedKafkaCluster;
import dev.outpost.model.CleanupPolicy;
import dev.outpost.model.TopicSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lag on a real broker: a group that keeps up is OK; one that commits ever less than is produced
 * is a WARNING; one that stops committing is a STALL, and a STOP once it leaves; caught up again,
 * it is OK. Lag in records and seconds grows meanwhile.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LagMonitorIT {

  private static final String TOPIC = "lag.it.v1";
  private static final String GROUP = "lag-it";
  private static EmbeddedKafkaCluster kafka;
  private static KafkaProducer<String, String> producer;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafkaCluster.builder().build().start();
    kafka.createTopics(List.of(new TopicSpec<>(TOPIC, String.class, String.class, 1, CleanupPolicy.DELETE)), (short) 1);
    producer = new KafkaProducer<>(kafka.adminConfig(), new StringSerializer(), new StringSerializer());
  }

  @AfterAll
  static void stop() {
    producer.close();
    kafka.close();
  }

  private static void produce(final int n) throws Exception {
    final List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sent.add(producer.send(new ProducerRecord<>(TOPIC, "k" + i, "v" + i)));
    }
    producer.flush();
    assertThat(sent).as("every record acknowledged").allSatisfy(s -> assertThat(s).succeedsWithin(Duration.ofSeconds(30)));
  }

  private static KafkaConsumer<String, String> consumer() {
    final Map<String, Object> props = new HashMap<>(kafka.adminConfig());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
    return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
  }

  /** Polls until it has read {@code n} records (or all there are), then commits them. */
  private static void consumeAndCommit(final KafkaConsumer<String, String> c, final int n) {
    final int[] read = {0};
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              read[0] += c.poll(Duration.ofMillis(100)).count();
              return read[0] >= n;
            });
    c.commitSync();
  }

  @Test
  void theStatusFollowsTheConsumerFromOkToWarningToStallToStopAndBack() throws Exception {
    final StatusRules rules = new StatusRules(3, 3);
    try (LagMonitor monitor = new LagMonitor(kafka.adminConfig(), rules, Clock.systemUTC())) {
      final KafkaConsumer<String, String> consumer = consumer();
      consumer.subscribe(List.of(TOPIC));
      produce(30);
      consumeAndCommit(consumer, 30);
      final GroupLag ok = monitor.sample(List.of(GROUP)).get(0);
      assertThat(ok.status()).isEqualTo(LagStatus.OK);
      assertThat(ok.lagRecords()).isZero();
      assertThat(ok.members()).isEqualTo(1);

      // Falling behind: each round produces 50 and consumes 10.
      GroupLag warning = null;
      long previous = -1;
      for (int round = 0; round < 3; round++) {
        produce(50);
        consumeAndCommit(consumer, 10);
        warning = monitor.sample(List.of(GROUP)).get(0);
        assertThat(warning.lagRecords()).isGreaterThan(previous);
        previous = warning.lagRecords();
      }
      assertThat(warning.status()).isEqualTo(LagStatus.WARNING);

      // Stuck: the member stays but commits nothing more while records keep coming.
      consumer.pause(consumer.assignment());
      final AtomicReference<GroupLag> stall = new AtomicReference<>();
      await()
          .alias("a stall, with lag in seconds growing")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(300))
          .until(
              () -> {
                consumer.poll(Duration.ZERO);
                produce(5);
                stall.set(monitor.sample(List.of(GROUP)).get(0));
                return stall.get().status() == LagStatus.STALL && stall.get().lagSeconds() >= 1.0;
              });
      assertThat(stall.get().lagRecords()).isGreaterThan(previous);

      // Gone: the member leaves.
      consumer.close();
      await()
          .alias("a stop once the group is empty")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(300))
          .until(() -> monitor.sample(List.of(GROUP)).get(0).status() == LagStatus.STOP);

      // Back, and caught up.
      try (KafkaConsumer<String, String> again = consumer()) {
        again.subscribe(List.of(TOPIC));
        final long behind = monitor.sample(List.of(GROUP)).get(0).lagRecords();
        consumeAndCommit(again, (int) behind);
        await()
            .alias("ok again")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(300))
            .until(() -> monitor.sample(List.of(GROUP)).get(0).status() == LagStatus.OK);
        final GroupLag recovered = monitor.latest().get(0);
        assertThat(recovered.lagRecords()).isZero();
        assertThat(recovered.lagSeconds()).isZero();
      }
    }
  }
}
