package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.classifier.Classifier;
import dev.outpost.clients.ReadRequest;
import dev.outpost.clients.TopicReader;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.ingest.redrive.DeadLetterRedrive;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import dev.outpost.topology.DeadLetterReason;
import dev.outpost.topology.DeadLetters;
import dev.outpost.topology.Pipeline;
import dev.outpost.topology.PipelineConfig;
import dev.outpost.topology.PipelineMetrics;
import dev.outpost.topology.PipelineSerdes;
import dev.outpost.topology.StreamsSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outpost dlq redrive} on a real broker, after a real fix: a pipeline that takes titles of
 * at most 40 bytes dead-letters three long ones (and a record that is not Avro at all); a dry run
 * lists them and sends nothing; with the limit raised, a redrive of that reason sends them back,
 * key and value untouched, and the pipeline classifies them; a second redrive sends nothing, and
 * the other reason's dead letter is still there for a redrive of its own.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DlqRedriveIT {

  private static final String APP = "dlq-it";
  private static final String REASON = DeadLetterReason.TITLE_TOO_LARGE.tag();

  @TempDir Path dir;

  @Test
  void deadLettersGoBackOnceAfterTheFixAndAreClassified() throws Exception {
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir.resolve("stack")).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()))) {
      final String[] cluster = {"--bootstrap-servers", stack.bootstrapServers()};
      // given: three titles too long for a strict pipeline, one that fits, and a record that is not Avro
      final Pipeline strict = start(stack, registry, 40);
      final List<ConsumerRecord<byte[], byte[]>> deadLetters;
      try {
        publish(stack, registry, List.of("long-0", "long-1", "long-2"), "The navy held drills near the strait, the largest of the year so far");
        publish(stack, registry, List.of("short-0"), "Navy drills");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(stack.kafkaProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
          producer.send(new ProducerRecord<>(Topics.NEWS_ITEMS.name(), bytes("garbage"), bytes("not avro"))).get();
        }
        await()
            .alias("four dead letters written by the strict pipeline")
            .atMost(Duration.ofSeconds(90))
            .until(() -> read(stack, Topics.NEWS_ITEMS_DLQ.name()).size() == 4);
        deadLetters = read(stack, Topics.NEWS_ITEMS_DLQ.name()).stream().filter(r -> REASON.equals(header(r, DeadLetters.REASON))).toList();
        assertThat(deadLetters).hasSize(3);
      } finally {
        strict.close(Duration.ofSeconds(30));
      }
      final long inputBefore = read(stack, Topics.NEWS_ITEMS.name()).size();

      // when: a dry run of that reason
      final CliRunner.Result dry = CliRunner.run("dlq", "redrive", "--reason", REASON, "--dry-run", cluster[0], cluster[1]);

      // then: it lists them and sends and remembers nothing
      assertThat(dry.exitCode()).as(dry.err()).isZero();
      assertThat(dry.out())
          .contains("Would send 3 dead letter(s) back to news.items.v1:")
          .containsPattern(REASON + " +3")
          .contains("First keys: " + String.join(", ", deadLetters.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList()) + System.lineSeparator())
          .contains("Of other reasons, left for another redrive: 1")
          .contains("Dry run: nothing sent, nothing remembered.");
      assertThat(read(stack, Topics.NEWS_ITEMS.name())).hasSize((int) inputBefore);
      assertThat(committed(stack)).as("the dry run remembers nothing").isEmpty();

      // when: the limit is raised and the dead letters of that reason are redriven
      final Pipeline fixed = start(stack, registry, 1_000);
      try {
        final CliRunner.Result redrive = CliRunner.run("dlq", "redrive", "--reason", REASON, cluster[0], cluster[1]);

        // then: they are back on the input, key and value untouched, and classified this time
        assertThat(redrive.exitCode()).as(redrive.err()).isZero();
        assertThat(redrive.out()).contains("Sent 3 dead letter(s) back to news.items.v1:");
        final List<ConsumerRecord<byte[], byte[]>> redriven =
            read(stack, Topics.NEWS_ITEMS.name()).stream().filter(r -> header(r, DeadLetterRedrive.REDRIVEN_FROM) != null).toList();
        assertThat(redriven).hasSize(3);
        for (int i = 0; i < 3; i++) {
          final ConsumerRecord<byte[], byte[]> original = deadLetters.get(i);
          final ConsumerRecord<byte[], byte[]> back =
              redriven.stream().filter(r -> Arrays.equals(r.key(), original.key())).findFirst().orElseThrow();
          assertThat(back.value()).as("value of %s", new String(original.key(), StandardCharsets.UTF_8)).isEqualTo(original.value());
          assertThat(header(back, DeadLetterRedrive.REDRIVEN_FROM)).isEqualTo(Topics.NEWS_ITEMS_DLQ.name() + "-0@" + original.offset());
        }
        await()
            .alias("the three redriven items classified by the fixed pipeline")
            .atMost(Duration.ofSeconds(90))
            .until(() -> fixed.metrics().classifiedItems() >= 3);
        assertThat(fixed.metrics().deadLetters()).isZero();

        // when: the same redrive again
        final CliRunner.Result again = CliRunner.run("dlq", "redrive", "--reason", REASON, cluster[0], cluster[1]);

        // then: nothing is sent twice
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).as("it starts where the first stopped").contains("Nothing to redrive from news.items.dlq.v1 (0 dead letter(s) read)");
        assertThat(read(stack, Topics.NEWS_ITEMS.name()).stream().filter(r -> header(r, DeadLetterRedrive.REDRIVEN_FROM) != null)).hasSize(3);
        // What the pipeline committed, not how often it read: under exactly-once a task may read a
        // record again after an aborted transaction, and its count of items read says so. Waited
        // for: the last of them may still be in a transaction the pipeline has not committed.
        await()
            .alias("each redriven item classified once, committed")
            .atMost(Duration.ofSeconds(90))
            .untilAsserted(
                () ->
                    assertThat(
                            read(stack, Topics.NEWS_CLASSIFIED.name()).stream()
                                .map(r -> new String(r.key(), StandardCharsets.UTF_8))
                                .filter(key -> key.startsWith("long-"))
                                .sorted()
                                .toList())
                        .containsExactly("long-0", "long-1", "long-2"));
      } finally {
        fixed.close(Duration.ofSeconds(30));
      }

      // and: the dead letter of the other reason still waits for a redrive of its own
      final CliRunner.Result rest = CliRunner.run("dlq", "redrive", "--dry-run", cluster[0], cluster[1]);
      assertThat(rest.exitCode()).as(rest.err()).isZero();
      assertThat(rest.out())
          .contains("Would send 1 dead letter(s) back to news.items.v1:")
          .containsPattern(DeadLetterReason.WRONG_MAGIC_BYTE.tag() + " +1")
          .contains("First keys: garbage")
          .contains("Already sent by an earlier redrive: 3");
    }
  }

  private Pipeline start(final EmbeddedStack stack, final SchemaRegistryClient registry, final int maxTitleBytes) {
    return Pipeline.start(
        PipelineConfig.defaults().withLimits(maxTitleBytes, 100_000),
        StreamsSettings.forDevCluster(stack.bootstrapServers(), dir.resolve("state-" + maxTitleBytes))
            .withApplicationId(APP),
        Classifier.withDefaultRules(),
        PipelineSerdes.using(registry, Map.of()),
        new PipelineMetrics(APP + "-" + System.nanoTime()),
        Clock.systemUTC());
  }

  private static void publish(final EmbeddedStack stack, final SchemaRegistryClient registry, final List<String> ids, final String title)
      throws Exception {
    try (SpecificAvroSerializer<NewsItem> values = new SpecificAvroSerializer<>(registry)) {
      values.configure(Map.of(), false);
      try (KafkaProducer<String, NewsItem> producer = new KafkaProducer<>(stack.kafkaProperties(), new StringSerializer(), values)) {
        for (final String id : ids) {
          final NewsItem item =
              NewsItem.newBuilder().setId(id).setSource("it").setTitle(title).setBody("The navy held drills.").setIngestedAt(Instant.now()).build();
          producer.send(new ProducerRecord<>(Topics.NEWS_ITEMS.name(), id, item)).get();
        }
      }
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> read(final EmbeddedStack stack, final String topic) {
    final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (TopicReader<byte[], byte[]> reader =
        TopicReader.create(stack.kafkaProperties(), IsolationLevel.READ_COMMITTED, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      reader.read(ReadRequest.fromBeginning(topic, Duration.ofSeconds(30)), records::add);
    }
    return records;
  }

  private static Map<?, ?> committed(final EmbeddedStack stack) throws Exception {
    try (Admin admin = Admin.create(stack.kafkaProperties())) {
      return admin.listConsumerGroupOffsets(DeadLetterRedrive.group(null)).partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
    }
  }

  private static String header(final ConsumerRecord<byte[], byte[]> r, final String name) {
    final Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(final String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
