package dev.outpost.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.outpost.testkit.KafkaClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On a real broker: the missing topics are created with their partitions and settings and the
 * existing ones left alone, a missing topic is named, a replication factor the cluster cannot
 * give is refused in one sentence, and a state topic reads back as each key's latest value.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopicAdminIT {

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @Test
  void theMissingTopicsAreCreatedWithTheirSettingsAndThenRequiredSilently() throws Exception {
    final TopicAdmin.Topic state = new TopicAdmin.Topic("it.admin.state.v1", 3, Map.of("cleanup.policy", "compact"));
    final TopicAdmin.Topic items = new TopicAdmin.Topic("it.admin.items.v1", 2, Map.of("cleanup.policy", "delete"));

    // when both are asked for, with a retention for every topic created
    final List<String> created = TopicAdmin.createMissingTopics(KAFKA.clientConfig(), List.of(state, items), 1, Map.of("retention.ms", "-1"));

    // then both are created with their partitions and settings
    assertThat(created).containsExactly("it.admin.state.v1", "it.admin.items.v1");
    try (Admin admin = KAFKA.cluster().createAdmin()) {
      final TopicDescription described =
          admin.describeTopics(List.of(state.name())).allTopicNames().get(30, TimeUnit.SECONDS).get(state.name());
      assertThat(described.partitions()).hasSize(3);
      final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, state.name());
      final Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
      assertThat(config.get("retention.ms").value()).isEqualTo("-1");
      assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");
    }

    // and once the broker lists them, they are required without a word and not created again
    await()
        .alias("the created topics listed")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(TopicAdmin.createMissingTopics(KAFKA.clientConfig(), List.of(state, items), 1)).isEmpty());
    TopicAdmin.requireTopics(KAFKA.clientConfig(), List.of(state.name(), items.name()));
  }

  @Test
  void aMissingTopicIsNamedWithTheCluster() {
    assertThatThrownBy(() -> TopicAdmin.requireTopics(KAFKA.clientConfig(), List.of("it.admin.nowhere.v1")))
        .isInstanceOf(ClusterAccessException.class)
        .hasMessage(
            "Kafka at "
                + KAFKA.bootstrapServers()
                + " has no topic it.admin.nowhere.v1: run 'outpost demo' for a local stack that has them, or create them on your cluster");
  }

  @Test
  void moreReplicasThanBrokersAreRefusedInOneSentence() {
    assertThat(TopicAdmin.sensibleReplication(KAFKA.clientConfig())).isEqualTo(1);

    assertThatThrownBy(
            () -> TopicAdmin.createMissingTopics(KAFKA.clientConfig(), List.of(new TopicAdmin.Topic("it.admin.replicated.v1", 1, Map.of())), 3))
        .isInstanceOf(ClusterAccessException.class)
        .hasMessageStartingWith("Kafka at " + KAFKA.bootstrapServers() + " refused to create [it.admin.replicated.v1] with replication factor 3: ")
        .hasMessageEndingWith(" (is --replication-factor at most the number of brokers?)")
        .hasCauseInstanceOf(InvalidReplicationFactorException.class);
  }

  @Test
  void aStateTopicReadsBackAsEachKeysLatestValue() throws Exception {
    final String topic = "it.admin.positions.v1";
    TopicAdmin.createMissingTopics(KAFKA.clientConfig(), List.of(new TopicAdmin.Topic(topic, 1, Map.of("cleanup.policy", "compact"))), 1);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(KAFKA.clientConfig(), new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "sept", "{\"published\":1}")).get(30, TimeUnit.SECONDS);
      producer.send(new ProducerRecord<>(topic, "oct", "{\"published\":1}")).get(30, TimeUnit.SECONDS);
      producer.send(new ProducerRecord<>(topic, "sept", "{\"published\":2}")).get(30, TimeUnit.SECONDS);
      producer.send(new ProducerRecord<>(topic, "oct", null)).get(30, TimeUnit.SECONDS);
    }
    // A group in the properties is left out: the read commits nothing.
    final Map<String, Object> props = KAFKA.clientConfig();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-admin-reader");

    assertThat(TopicReader.readState(props, topic)).containsExactly(Map.entry("sept", "{\"published\":2}"));
  }
}
