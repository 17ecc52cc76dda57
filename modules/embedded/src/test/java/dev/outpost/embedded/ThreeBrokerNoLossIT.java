package dev.outpost.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.embedded.EmbeddedKafkaCluster.ControllerMode;
import dev.outpost.model.CleanupPolicy;
import dev.outpost.model.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On three brokers with replication factor 3 and min.insync.replicas 2, stopping a partition
 * leader loses no acknowledged record, and the idempotent producer writes none twice. Also checks
 * that topic creation waits for every broker.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ThreeBrokerNoLossIT {

  private static final Logger LOG = LoggerFactory.getLogger(ThreeBrokerNoLossIT.class);
  private static final int BEFORE_STOP = 2_000;
  private static final int AFTER_STOP = 1_000;
  private static final TopicSpec<String, String> TOPIC =
      new TopicSpec<>("it.no-loss.v1", String.class, String.class, 6, CleanupPolicy.DELETE);

  private static EmbeddedKafkaCluster kafka;

  @BeforeAll
  static void startCluster() {
    final long start = System.nanoTime();
    kafka =
        EmbeddedKafkaCluster.builder()
            .brokers(3)
            .controllerMode(ControllerMode.DEDICATED)
            // A restarted broker is only let back in once its old session has expired (9 s by
            // default); a shorter session keeps the restart at the end of the test quick.
            .brokerProperty("broker.session.timeout.ms", "3000")
            .build()
            .start();
    LOG.info("3 brokers + 1 dedicated controller started in {} ms",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  @AfterAll
  static void stopClusterCleanly() {
    if (kafka == null) {
      return;
    }
    final var dataDirectory = kafka.dataDirectory();
    kafka.close();
    // Brokers stop in parallel before the controller; one by one, a broker would wait for a
    // controller that is already gone and be abandoned at the shutdown timeout.
    assertThat(kafka.uncleanShutdowns()).as("nodes that did not stop cleanly").isEmpty();
    assertThat(dataDirectory).as("temporary data directory").doesNotExist();
  }

  @Test
  void noAcknowledgedRecordIsLostOrDuplicatedWhenALeaderStops() throws Exception {
    kafka.createTopics(List.of(TOPIC), (short) 3);
    final int victim;
    try (Admin admin = kafka.createAdmin()) {
      assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
          .extracting(Node::id)
          .containsExactlyInAnyOrder(0, 1, 2);
      final TopicDescription description = describe(admin);
      assertThat(description.partitions())
          .hasSize(TOPIC.partitions())
          .allSatisfy(p -> assertThat(p.replicas()).hasSize(3))
          .allSatisfy(p -> assertThat(p.isr()).hasSize(3));
      final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC.name());
      final Config config =
          admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
      assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
      assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
      victim = description.partitions().get(0).leader().id();
    }

    try (KafkaProducer<String, String> producer = TestClients.safeProducer(kafka)) {
      assertThat(TestClients.sendAndAwaitAcks(producer, TOPIC.name(), 0, BEFORE_STOP))
          .hasSize(BEFORE_STOP);

      kafka.stopBroker(victim);
      assertThat(kafka.runningBrokerIds()).hasSize(2).doesNotContain(victim);
      try (Admin admin = kafka.createAdmin()) {
        await()
            .alias("partitions failed over from stopped broker " + victim)
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(describe(admin).partitions())
                        .allSatisfy(p -> assertThat(p.leader()).isNotNull())
                        .allSatisfy(p -> assertThat(p.leader().id()).isNotEqualTo(victim))
                        .allSatisfy(p -> assertThat(p.isr()).hasSize(2)));
      }

      // Same producer: it still holds metadata naming the stopped broker as a leader.
      assertThat(TestClients.sendAndAwaitAcks(producer, TOPIC.name(), BEFORE_STOP,
          BEFORE_STOP + AFTER_STOP)).hasSize(AFTER_STOP);
    }

    final List<ConsumerRecord<String, String>> records =
        TestClients.readAll(kafka, TOPIC.name(), Duration.ofSeconds(60));

    final List<String> keys = records.stream().map(ConsumerRecord::key).toList();
    final Set<String> expected =
        IntStream.range(0, BEFORE_STOP + AFTER_STOP)
            .mapToObj(TestClients::key)
            .collect(Collectors.toSet());
    assertThat(keys).as("keys read back").doesNotHaveDuplicates();
    assertThat(keys).as("keys read back").containsExactlyInAnyOrderElementsOf(expected);
    assertThat(records)
        .allSatisfy(r -> assertThat(r.value()).isEqualTo(r.key().replace("key-", "value-")));
    LOG.info("Read back {} of {} records, none lost, none duplicated", records.size(),
        expected.size());

    kafka.startBroker(victim);
    assertThat(kafka.runningBrokerIds()).containsExactly(0, 1, 2);
    try (Admin admin = kafka.createAdmin()) {
      await()
          .alias("broker " + victim + " back in every in-sync replica set")
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(describe(admin).partitions())
                      .extracting(TopicPartitionInfo::isr)
                      .allSatisfy(isr -> assertThat(isr).extracting(Node::id).contains(victim)));
    }
  }

  @Test
  void createTopicsReturnsOnlyOnceEveryRunningBrokerKnowsEveryPartitionLeader() throws Exception {
    final TopicSpec<String, String> spec =
        new TopicSpec<>("it.propagation.v1", String.class, String.class, 12, CleanupPolicy.COMPACT);

    kafka.createTopics(List.of(spec), (short) 3);

    // Asked directly, not through an admin client that may pick one up-to-date broker.
    for (final int brokerId : kafka.runningBrokerIds()) {
      final MetadataResponse response =
          BrokerMetadataProbe.fetch(
              "127.0.0.1", kafka.brokerPort(brokerId), List.of(spec.name(), "it.absent.v1"),
              Duration.ofSeconds(5));
      final Map<String, MetadataResponse.TopicMetadata> topics =
          response.topicMetadata().stream()
              .collect(Collectors.toMap(MetadataResponse.TopicMetadata::topic, t -> t));
      assertThat(topics.get("it.absent.v1").error())
          .as("broker %d on a topic that does not exist", brokerId)
          .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
      assertThat(topics.get(spec.name()).error()).isEqualTo(Errors.NONE);
      assertThat(topics.get(spec.name()).partitionMetadata())
          .as("broker %d's view of %s", brokerId, spec.name())
          .hasSize(spec.partitions())
          .allSatisfy(p -> assertThat(p.leaderId).isPresent())
          .allSatisfy(p -> assertThat(p.replicaIds).hasSize(3));
    }

    // Idempotent: creating it again, even with another partition count, changes nothing.
    kafka.createTopics(
        List.of(new TopicSpec<>(spec.name(), String.class, String.class, 1, CleanupPolicy.DELETE)),
        (short) 3);
    try (Admin admin = kafka.createAdmin()) {
      assertThat(
              admin.describeTopics(List.of(spec.name())).allTopicNames().get(30, TimeUnit.SECONDS)
                  .get(spec.name()).partitions())
          .hasSize(spec.partitions());
    }
  }

  private static TopicDescription describe(final Admin admin) throws Exception {
    final Map<String, TopicDescription> descriptions =
        admin.describeTopics(List.of(TOPIC.name())).allTopicNames().get(30, TimeUnit.SECONDS);
    return descriptions.get(TOPIC.name());
  }
}
