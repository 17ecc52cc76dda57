package dev.outpost.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.classifier.Classifier;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.NewsItem;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out: three instances of one application on three brokers with a dedicated controller
 * share the input partitions, with production replication (3) and one standby; when one leaves,
 * the two left take over its partitions, and every item is classified exactly once throughout.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ScaleOutIT {

  private static final String APP = "outpost-scale-it";
  private static final int BATCH = 600;
  private static final PipelineConfig CONFIG = PipelineConfig.defaults();

  @TempDir Path dir;

  @Test
  void threeInstancesShareThePartitionsAndTheTwoLeftTakeOverWhenOneLeaves() throws Exception {
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir.resolve("stack")).brokers(3).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()))) {
      final PipelineSerdes serdes = PipelineSerdes.using(registry, Map.of());
      final List<Pipeline> instances = new ArrayList<>();
      try (KafkaProducer<String, byte[]> producer = producer(stack);
          CommittedOutput output = new CommittedOutput(stack.kafkaProperties(), serdes, CONFIG, "scale-reader")) {
        for (int i = 0; i < 3; i++) {
          instances.add(start(stack, registry, "instance-" + i));
        }
        final int inputPartitions;
        try (var admin = stack.cluster().createAdmin()) {
          inputPartitions = admin.describeTopics(List.of(CONFIG.inputTopic())).allTopicNames().get().get(CONFIG.inputTopic()).partitions().size();
        }
        await().alias("all three instances own input partitions, each partition once")
            .atMost(Duration.ofSeconds(90))
            .until(() -> instances.stream().allMatch(p -> !inputPartitions(p).isEmpty()) && owned(instances).size() == inputPartitions && ownedOnce(instances));
        assertThat(instances.stream().mapToInt(p -> standbyTasks(p)).sum()).as("standby tasks across the instances").isPositive();

        final List<NewsItem> items = Items.fromDevSet("scale", 2 * BATCH, Instant.now().minusSeconds(600));

        send(producer, serdes, items.subList(0, BATCH));
        await().atMost(Duration.ofSeconds(90)).until(() -> output.drain() >= BATCH);

        final Pipeline leaving = instances.remove(2);
        final Set<TopicPartition> itHad = inputPartitions(leaving);
        leaving.close(Duration.ofSeconds(30));
        await().alias("the two left own every input partition, including the leaver's " + itHad)
            .atMost(Duration.ofSeconds(90))
            .until(() -> owned(instances).size() == inputPartitions && ownedOnce(instances));

        send(producer, serdes, items.subList(BATCH, 2 * BATCH));
        await().atMost(Duration.ofSeconds(120)).until(() -> output.drain() >= items.size());
        output.assertEachExactlyOnce(items);
      } finally {
        instances.forEach(p -> p.close(Duration.ofSeconds(30)));
      }
    }
  }

  private Pipeline start(final EmbeddedStack stack, final SchemaRegistryClient registry, final String name) {
    final Map<String, Object> overrides = new HashMap<>(ExactlyOnceUnderFailureIT.fastFailover(3));
    overrides.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
    overrides.put(StreamsConfig.topicPrefix("min.insync.replicas"), 2);
    return Pipeline.start(
        CONFIG,
        StreamsSettings.forDevCluster(stack.bootstrapServers(), dir.resolve(name)).withApplicationId(APP).withOverrides(overrides),
        Classifier.withDefaultRules(),
        PipelineSerdes.using(registry, Map.of()),
        new PipelineMetrics(name),
        Clock.systemUTC());
  }

  private static Set<TopicPartition> inputPartitions(final Pipeline pipeline) {
    final Set<TopicPartition> partitions = new HashSet<>();
    if (!pipeline.isRunning()) {
      return partitions;
    }
    for (final ThreadMetadata thread : pipeline.streams().metadataForLocalThreads()) {
      thread.activeTasks().forEach(t -> t.topicPartitions().stream().filter(tp -> tp.topic().equals(CONFIG.inputTopic())).forEach(partitions::add));
    }
    return partitions;
  }

  private static int standbyTasks(final Pipeline pipeline) {
    return pipeline.streams().metadataForLocalThreads().stream().mapToInt(t -> t.standbyTasks().size()).sum();
  }

  private static Set<TopicPartition> owned(final List<Pipeline> instances) {
    final Set<TopicPartition> all = new HashSet<>();
    instances.forEach(p -> all.addAll(inputPartitions(p)));
    return all;
  }

  private static boolean ownedOnce(final List<Pipeline> instances) {
    return instances.stream().mapToInt(p -> inputPartitions(p).size()).sum() == owned(instances).size();
  }

  private static void send(final KafkaProducer<String, byte[]> producer, final PipelineSerdes serdes, final List<NewsItem> batch) {
    final List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (final NewsItem item : batch) {
      sent.add(producer.send(new ProducerRecord<>(CONFIG.inputTopic(), item.getId(), serdes.newsItems().serializer().serialize(CONFIG.inputTopic(), item))));
    }
    producer.flush();
    assertThat(sent).as("every record acknowledged").allSatisfy(s -> assertThat(s).succeedsWithin(Duration.ofSeconds(30)));
  }


  private static KafkaProducer<String, byte[]> producer(final EmbeddedStack stack) {
    final Map<String, Object> config = new HashMap<>(stack.kafkaProperties());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

}
