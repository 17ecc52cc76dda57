package dev.outpost.ops.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.clients.ConsumerGroupLag;
import dev.outpost.clients.LogEnd;
import dev.outpost.embedded.EmbeddedKafkaCluster;
import dev.outpost.model.CleanupPolicy;
import dev.outpost.model.TopicSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lag an operator is shown is the truth, on a real broker: transaction markers are not lag,
 * lag in seconds counts from arrival in the log and not from the news's own (years-old) time, and
 * groups nobody runs any more leave the report. The clock is the test's own, so ages pass at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LagTruthIT {

  private static final Instant YEARS_AGO = Instant.parse("2015-03-01T00:00:00Z");
  private static EmbeddedKafkaCluster kafka;
  private static Admin admin;

  /** A clock the test moves by hand. */
  private static final class TestClock extends Clock {
    private final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

    void advance(final Duration d) {
      millis.addAndGet(d.toMillis());
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(final java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafkaCluster.builder().build().start();
    admin = Admin.create(kafka.adminConfig());
  }

  @AfterAll
  static void stop() {
    admin.close();
    kafka.close();
  }

  private static void createTopic(final String name) {
    kafka.createTopics(List.of(new TopicSpec<>(name, String.class, String.class, 1, CleanupPolicy.DELETE)), (short) 1);
  }

  /** Writes each batch in a transaction of its own; returns the offsets of the records. */
  private static List<Long> produceTransactions(final String topic, final int... batches) throws Exception {
    final Map<String, Object> props = new HashMap<>(kafka.adminConfig());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "truth-" + topic);
    final List<Long> offsets = new CopyOnWriteArrayList<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      for (final int batch : batches) {
        producer.beginTransaction();
        for (int i = 0; i < batch; i++) {
          offsets.add(producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get().offset());
        }
        producer.commitTransaction();
      }
    }
    return offsets;
  }

  /** Writes records whose own timestamps are years old, as a replay of old news does. */
  private static void produceOldNews(final String topic, final int n) throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.adminConfig(), new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < n; i++) {
        producer.send(new ProducerRecord<>(topic, 0, YEARS_AGO.toEpochMilli() + i, "k" + i, "old news " + i)).get();
      }
    }
  }

  /** Commits an offset for a group without ever joining it: a group with no members. */
  private static void commit(final String group, final String topic, final long offset) {
    final Map<String, Object> props = new HashMap<>(kafka.adminConfig());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      c.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(offset)));
    }
  }

  @Test
  void aCaughtUpReadCommittedGroupOfATransactionalTopicIsOkWithLagZeroSampleAfterSample() throws Exception {
    // given: two transactions, each followed by its commit marker, read by a read_committed
    // member that commits the offset after the last record it was handed, as the dispatcher does
    final String topic = "truth.tx.v1";
    createTopic(topic);
    final List<Long> records = produceTransactions(topic, 5, 3);
    final Map<String, Object> props = new HashMap<>(kafka.adminConfig());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "truth-tx");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    final TopicPartition tp = new TopicPartition(topic, 0);
    try (KafkaConsumer<String, String> member = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        LagMonitor monitor = new LagMonitor(kafka.adminConfig(), new StatusRules(3, 3), new TestClock())) {
      member.subscribe(List.of(topic));
      final List<Long> read = new CopyOnWriteArrayList<>();
      await()
          .alias("every committed record read")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (final ConsumerRecord<String, String> r : member.poll(Duration.ofMillis(100))) {
                  read.add(r.offset());
                }
                return read.size() == records.size();
              });
      member.commitSync(Map.of(tp, new OffsetAndMetadata(records.get(records.size() - 1) + 1)));
      // The offsets alone put it one behind: the last commit marker.
      assertThat(ConsumerGroupLag.read(admin, "truth-tx", LogEnd.LAST_STABLE_OFFSET, Duration.ofSeconds(15)).totalLag())
          .as("lag in offsets, the marker counted")
          .isEqualTo(1);

      // when: sampled over a whole window while the member stays and nothing more is written
      for (int i = 0; i < 4; i++) {
        member.poll(Duration.ZERO);
        final GroupLag g = monitor.sample(List.of("truth-tx")).get(0);

        // then: caught up, every time; no stall
        assertThat(g.members()).isEqualTo(1);
        assertThat(g.lagRecords()).as("lag in records at sample %d", i).isZero();
        assertThat(g.lagSeconds()).isZero();
        assertThat(g.status()).as("status at sample %d: %s", i, g.reason()).isEqualTo(LagStatus.OK);
        assertThat(g.reason()).isEqualTo(tp + ": caught up");
      }

      // and a group that has read the first transaction only is behind by the second's records,
      // not by its two markers as well
      commit("truth-tx-behind", topic, records.get(4) + 1);
      final GroupLag behind = monitor.sample(List.of("truth-tx-behind")).get(0);
      assertThat(behind.lagRecords()).isEqualTo(3);
      assertThat(behind.status()).isEqualTo(LagStatus.STOP);
      assertThat(behind.reason()).contains("no members").contains("3 records behind");
    }
  }

  @Test
  void aGroupReadingYearsOldNewsIsOkWhenCaughtUpAndOtherwiseBehindByArrivalNotByEventTime() throws Exception {
    // given: news from 2015 replayed now
    final String topic = "truth.old.v1";
    createTopic(topic);
    produceOldNews(topic, 6);
    commit("truth-old-done", topic, 6);
    commit("truth-old-behind", topic, 2);
    final TestClock clock = new TestClock();
    try (LagMonitor monitor = new LagMonitor(kafka.adminConfig(), new StatusRules(3, 3, Duration.ofDays(1)), clock)) {
      // when
      final Map<String, GroupLag> first = byGroup(monitor.sample(List.of("truth-old-done", "truth-old-behind")));

      // then: the caught-up group is OK with 0 s, though its records are years old
      assertThat(first.get("truth-old-done").status()).isEqualTo(LagStatus.OK);
      assertThat(first.get("truth-old-done").lagSeconds()).isZero();
      assertThat(first.get("truth-old-done").lagRecords()).isZero();
      // and the one behind is behind by when its records arrived, not by 2015
      assertThat(first.get("truth-old-behind").lagRecords()).isEqualTo(4);
      assertThat(first.get("truth-old-behind").lagSeconds()).isLessThan(60);

      // when an hour passes and nobody reads: its lag in seconds grows with it, without a cap
      clock.advance(Duration.ofHours(1));
      final Map<String, GroupLag> later = byGroup(monitor.sample(List.of("truth-old-done", "truth-old-behind")));
      assertThat(later.get("truth-old-behind").lagSeconds()).isBetween(3_600.0, 3_660.0);
      assertThat(later.get("truth-old-done").lagSeconds()).isZero();
      assertThat(later.get("truth-old-done").status()).isEqualTo(LagStatus.OK);
    }
  }

  @Test
  void anAbandonedGroupAgesOutAndSoDoesOneWhoseTopicsWereDeleted() throws Exception {
    // given: a group left behind, and one reading a replay namespace's topic
    createTopic("truth.abandoned.v1");
    produceOldNews("truth.abandoned.v1", 3);
    commit("truth-abandoned", "truth.abandoned.v1", 1);
    createTopic("truth-ns.news.items.v1");
    produceOldNews("truth-ns.news.items.v1", 3);
    commit("truth-ns-app", "truth-ns.news.items.v1", 2);
    final TestClock clock = new TestClock();
    final List<StatusChange> heard = new CopyOnWriteArrayList<>();
    final List<String> groups = List.of("truth-abandoned", "truth-ns-app");
    try (LagMonitor monitor = new LagMonitor(kafka.adminConfig(), new StatusRules(3, 3, Duration.ofMinutes(10)), clock).onChange(heard::add)) {
      assertThat(byGroup(monitor.sample(groups))).containsKeys("truth-abandoned", "truth-ns-app");
      assertThat(heard).extracting(StatusChange::group, StatusChange::to).contains(org.assertj.core.groups.Tuple.tuple("truth-abandoned", LagStatus.STOP));

      // when: nine minutes pass, in which only the replay's group commits, then two more
      clock.advance(Duration.ofMinutes(9));
      commit("truth-ns-app", "truth-ns.news.items.v1", 3);
      assertThat(byGroup(monitor.sample(groups))).containsKeys("truth-abandoned", "truth-ns-app");
      clock.advance(Duration.ofMinutes(2));

      // then: the abandoned group is out of the report, and the listeners heard so
      assertThat(byGroup(monitor.sample(groups))).doesNotContainKey("truth-abandoned").containsKey("truth-ns-app");
      assertThat(monitor.latest()).extracting(GroupLag::group).doesNotContain("truth-abandoned");
      assertThat(monitor.agedOut()).containsKey("truth-abandoned");
      assertThat(monitor.agedOut().get("truth-abandoned")).contains("no members and no commits for 11m (the limit is 10m)");
      assertThat(heard).last().satisfies(c -> {
        assertThat(c.group()).isEqualTo("truth-abandoned");
        assertThat(c.agedOut()).isTrue();
        assertThat(c.from()).isEqualTo(LagStatus.STOP);
      });

      // when: the namespace's topic is deleted
      admin.deleteTopics(List.of("truth-ns.news.items.v1")).all().get(30, TimeUnit.SECONDS);

      // then: that group ages out too, at once, rather than turning to ERROR
      await()
          .alias("the group of the deleted topic out of the report")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(300))
          .until(() -> !byGroup(monitor.sample(groups)).containsKey("truth-ns-app"));
      assertThat(monitor.agedOut()).containsKey("truth-ns-app");
      assertThat(heard).noneMatch(c -> c.to() == LagStatus.ERROR);
    }
  }

  @Test
  void theGroupsOfToolsRunNowAndThenAreLeftOutOfEveryGroupButSampledByName() throws Exception {
    // given: a redrive's and a redelivery's groups, behind between runs, beside an ordinary one
    createTopic("truth.tools.v1");
    produceOldNews("truth.tools.v1", 3);
    commit("outpost-dlq-redrive", "truth.tools.v1", 1);
    commit("outpost-dlq-redrive.sept", "truth.tools.v1", 1);
    commit("outpost-dispatch-redeliver", "truth.tools.v1", 1);
    commit("truth-tools-reader", "truth.tools.v1", 1);

    try (LagMonitor monitor = new LagMonitor(kafka.adminConfig(), StatusRules.DEFAULT, Clock.systemUTC())) {
      // when / then
      assertThat(byGroup(monitor.sample(List.of())))
          .containsKey("truth-tools-reader")
          .doesNotContainKeys("outpost-dlq-redrive", "outpost-dlq-redrive.sept", "outpost-dispatch-redeliver");
      assertThat(byGroup(monitor.sample(List.of("outpost-dlq-redrive")))).containsKey("outpost-dlq-redrive");
    }
  }

  private static Map<String, GroupLag> byGroup(final List<GroupLag> lags) {
    final Map<String, GroupLag> map = new HashMap<>();
    lags.forEach(g -> map.put(g.group(), g));
    return map;
  }
}
