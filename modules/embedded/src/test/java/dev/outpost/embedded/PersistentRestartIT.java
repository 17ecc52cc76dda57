package dev.outpost.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.model.CleanupPolicy;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the demo relies on: a one-node cluster on a persistent directory comes back after a restart
 * with the same cluster id, the same topics and every record written before.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PersistentRestartIT {

  private static final Logger LOG = LoggerFactory.getLogger(PersistentRestartIT.class);
  private static final int RECORDS = 500;
  private static final TopicSpec<String, String> TOPIC =
      new TopicSpec<>("it.persistent.v1", String.class, String.class, 1, CleanupPolicy.DELETE);

  @TempDir Path dataDirectory;

  @Test
  void topicsAndRecordsSurviveARestartOnTheSameDirectory() throws Exception {
    final int port = freeLoopbackPort();
    final List<Topic> catalog = catalogTopics();
    final String clusterId;

    try (EmbeddedKafkaCluster first = cluster(port).start()) {
      assertThat(first.brokerPort(0)).as("preferred port, free at start").isEqualTo(port);
      clusterId = first.clusterId();
      first.createTopics(Topics.PIPELINE, (short) 1);
      first.createTopics(List.of(Topics.REGISTRY_SCHEMAS, TOPIC), (short) 1);
      try (KafkaProducer<String, String> producer = TestClients.safeProducer(first)) {
        TestClients.sendAndAwaitAcks(producer, TOPIC.name(), 0, RECORDS);
      }
    }
    assertThat(dataDirectory.resolve("node-0").resolve("meta.properties"))
        .as("storage kept after close")
        .exists();

    final long restart = System.nanoTime();
    try (EmbeddedKafkaCluster second = cluster(port).start()) {
      LOG.info("Restarted on existing storage in {} ms",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restart));
      assertThat(second.clusterId()).isEqualTo(clusterId);
      assertThat(second.brokerPort(0)).as("same preferred port after restart").isEqualTo(port);
      assertThat(second.dataDirectory()).isEqualTo(dataDirectory.toAbsolutePath());

      // Creating the catalog again is a no-op, as the demo does on every start.
      second.createTopics(Topics.PIPELINE, (short) 1);
      try (Admin admin = second.createAdmin()) {
        final Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        assertThat(names)
            .containsAll(catalog.stream().map(Topic::name).toList())
            .contains(TOPIC.name());
        for (final Topic topic : catalog) {
          final ConfigResource resource =
              new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
          final Config config =
              admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
                  .get(resource);
          assertThat(config.get("cleanup.policy").value())
              .as("cleanup.policy of %s", topic.name())
              .isEqualTo(topic.cleanupPolicy());
        }
        assertThat(
                admin.describeTopics(List.of(Topics.NEWS_ITEMS.name())).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(Topics.NEWS_ITEMS.name()).partitions())
            .hasSize(Topics.NEWS_ITEMS.partitions());
      }

      final List<ConsumerRecord<String, String>> records =
          TestClients.readAll(second, TOPIC.name(), Duration.ofSeconds(30));
      assertThat(records)
          .extracting(ConsumerRecord::key)
          .containsExactlyElementsOf(IntStream.range(0, RECORDS).mapToObj(TestClients::key).toList());
      assertThat(records)
          .extracting(ConsumerRecord::value)
          .containsExactlyElementsOf(
              IntStream.range(0, RECORDS).mapToObj(TestClients::value).toList());
    }
  }

  private EmbeddedKafkaCluster cluster(final int preferredPort) {
    return EmbeddedKafkaCluster.builder()
        .persistentDataDirectory(dataDirectory)
        .preferredPort(preferredPort)
        .build();
  }

  private record Topic(String name, String cleanupPolicy) {}

  private static List<Topic> catalogTopics() {
    final List<Topic> topics = new ArrayList<>();
    for (final TopicSpec<?, ?> spec : Topics.PIPELINE) {
      topics.add(new Topic(spec.name(), spec.cleanupPolicy().configValue()));
    }
    topics.add(
        new Topic(Topics.REGISTRY_SCHEMAS.name(), Topics.REGISTRY_SCHEMAS.cleanupPolicy().configValue()));
    return topics;
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      return socket.getLocalPort();
    }
  }
}
