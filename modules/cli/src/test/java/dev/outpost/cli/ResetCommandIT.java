package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.classifier.Classifier;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import dev.outpost.topology.Pipeline;
import dev.outpost.topology.PipelineConfig;
import dev.outpost.topology.PipelineMetrics;
import dev.outpost.topology.PipelineSerdes;
import dev.outpost.topology.StreamsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outpost reset}: refused while the pipeline runs; a dry run shows and changes nothing;
 * a reset makes the next run reprocess the items written after the time, not drop them as repeats.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ResetCommandIT {

  private static final String APP = "reset-it";

  @TempDir Path dir;

  @Test
  void aResetReprocessesFromThePointInTime() throws Exception {
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir.resolve("stack")).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()))) {
      final Path state = dir.resolve("state");
      final String[] args = {
        "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl(),
        "--application-id", APP, "--state-dir", state.toString()
      };
      Pipeline pipeline = start(stack, registry, state);
      publish(stack, registry, "before", 3);
      final Pipeline first = pipeline;
      await().atMost(Duration.ofSeconds(60)).until(() -> first.metrics().classifiedItems() >= 3);
      final Instant between = Instant.now();
      await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(between.plusMillis(50)));
      publish(stack, registry, "after", 2);
      await().atMost(Duration.ofSeconds(60)).until(() -> first.metrics().classifiedItems() >= 5);

      final CliRunner.Result running = CliRunner.run(concat(new String[] {"reset", "--to-datetime", between.toString()}, args));
      assertThat(running.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
      assertThat(running.err()).contains("is running");
      // The story step reads the alerts back from its repartition topic and commits after the
      // classifying step: wait until it has taken every alert and the group's offsets stand still,
      // so that a change below can only be the dry run's.
      await().atMost(Duration.ofSeconds(60)).until(() -> first.metrics().alertsThroughStories() >= first.metrics().alertsTotal());
      final AtomicReference<Map<?, ?>> lastSeen = new AtomicReference<>(Map.of());
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                final Map<?, ?> now = committed(stack);
                return now.equals(lastSeen.getAndSet(now));
              });
      final Map<?, ?> whileRunning = committed(stack);
      final CliRunner.Result dryWhileRunning = CliRunner.run(concat(new String[] {"reset", "--to-datetime", between.toString(), "--dry-run"}, args));
      assertThat(dryWhileRunning.exitCode()).as(dryWhileRunning.err()).isZero();
      assertThat(dryWhileRunning.out())
          .contains("Would reset application " + APP)
          .contains("news.items.v1-")
          .contains("is running (1 member(s))")
          .contains("Dry run: nothing changed.");
      assertThat(committed(stack)).isEqualTo(whileRunning);
      final CliRunner.Result otherNamespace =
          CliRunner.run(concat(new String[] {"reset", "--to-datetime", between.toString(), "--namespace", "ns1", "--dry-run"}, args));
      assertThat(otherNamespace.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
      assertThat(otherNamespace.err()).as("the namespace's own application, which never ran").contains("No application '" + APP + ".ns1' has run");

      pipeline.close(Duration.ofSeconds(30));
      final Map<?, ?> before = committed(stack);
      // Another application whose id starts with this one's: its changelog looks like ours by prefix.
      final String otherChangelog = APP + "-v2-item-ids-seen-changelog";
      try (Admin admin = Admin.create(stack.kafkaProperties())) {
        admin.createTopics(List.of(new NewTopic(otherChangelog, 1, (short) 1))).all().get(15, TimeUnit.SECONDS);
      }

      final CliRunner.Result dry = CliRunner.run(concat(new String[] {"reset", "--to-datetime", between.toString(), "--dry-run"}, args));
      assertThat(dry.exitCode()).as(dry.err()).isZero();
      assertThat(dry.out())
          .contains("Would reset application " + APP)
          .contains("news.items.v1-")
          .contains(APP + "-item-ids-seen-changelog")
          .doesNotContain(otherChangelog)
          .contains("Dry run: nothing changed.");
      assertThat(committed(stack)).isEqualTo(before);
      assertThat(Files.exists(state.resolve(APP))).isTrue();

      final CliRunner.Result reset = CliRunner.run(concat(new String[] {"reset", "--to-datetime", between.toString()}, args));
      assertThat(reset.exitCode()).as(reset.err()).isZero();
      assertThat(Files.exists(state.resolve(APP))).isFalse();
      try (Admin admin = Admin.create(stack.kafkaProperties())) {
        assertThat(admin.listTopics().names().get(15, TimeUnit.SECONDS))
            .as("the other application's changelog")
            .contains(otherChangelog)
            .doesNotContain(APP + "-item-ids-seen-changelog");
      }

      pipeline = start(stack, registry, state);
      final Pipeline second = pipeline;
      try {
        await()
            .alias("the two items written after the time classified again, not dropped as repeats")
            .atMost(Duration.ofSeconds(90))
            .until(() -> second.metrics().classifiedItems() >= 2);
        assertThat(second.metrics().duplicates()).isZero();
        assertThat(second.metrics().items()).isEqualTo(2);
      } finally {
        second.close(Duration.ofSeconds(30));
      }
    }
  }

  private static Pipeline start(final EmbeddedStack stack, final SchemaRegistryClient registry, final Path state) {
    return Pipeline.start(
        PipelineConfig.defaults(),
        StreamsSettings.forDevCluster(stack.bootstrapServers(), state).withApplicationId(APP),
        Classifier.withDefaultRules(),
        PipelineSerdes.using(registry, Map.of()),
        new PipelineMetrics(APP + "-" + System.nanoTime()),
        Clock.systemUTC());
  }

  private static void publish(final EmbeddedStack stack, final SchemaRegistryClient registry, final String prefix, final int n)
      throws Exception {
    try (SpecificAvroSerializer<NewsItem> values = new SpecificAvroSerializer<>(registry)) {
      values.configure(Map.of(), false);
      try (KafkaProducer<String, NewsItem> producer = new KafkaProducer<>(stack.kafkaProperties(), new StringSerializer(), values)) {
        for (int i = 0; i < n; i++) {
          final NewsItem item =
              NewsItem.newBuilder()
                  .setId(prefix + "-" + i)
                  .setSource("it")
                  .setTitle("Item " + prefix + " " + i)
                  .setBody("The navy held drills.")
                  .setIngestedAt(Instant.now())
                  .build();
          producer.send(new ProducerRecord<>(Topics.NEWS_ITEMS.name(), item.getId(), item)).get();
        }
      }
    }
  }

  private static Map<?, ?> committed(final EmbeddedStack stack) throws Exception {
    try (Admin admin = Admin.create(stack.kafkaProperties())) {
      return admin.listConsumerGroupOffsets(APP).partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
    }
  }

  private static String[] concat(final String[] a, final String[] b) {
    final String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
