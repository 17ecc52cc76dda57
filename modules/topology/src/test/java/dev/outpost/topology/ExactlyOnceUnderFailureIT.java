package dev.outpost.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.classifier.Classifier;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.NewsItem;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly once under failure: two pipeline instances share the work on three brokers with a
 * dedicated controller. One instance, in a JVM of its own, is killed with SIGKILL mid-stream, and
 * one broker is stopped and started again mid-stream. Every input item must then appear in the
 * classified topic exactly once (read committed), and every alert it implies exactly once.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ExactlyOnceUnderFailureIT {

  private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceUnderFailureIT.class);
  private static final String APP = "outpost-eos-it";
  private static final int BATCH = 1_000;
  private static final PipelineConfig CONFIG = PipelineConfig.defaults();

  @TempDir static Path dir;

  private static EmbeddedStack stack;
  private static SchemaRegistryClient registry;
  private static PipelineSerdes serdes;
  private static final AtomicLong CHILD_CLASSIFIED = new AtomicLong();
  private static final AtomicBoolean CHILD_RUNNING = new AtomicBoolean();

  /**
   * Settings that let a surviving instance take over a dead one's partitions in seconds rather
   * than the default 45 s session, and that share the tasks between instances as soon as both
   * are up; shared with {@link PipelineProcess}.
   *
   * @param replication replication factor of the internal topics
   * @return the overrides
   */
  static Map<String, Object> fastFailover(final int replication) {
    return Map.of(
        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000,
        StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000,
        StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 10_000,
        // Both instances start empty: share the tasks at once instead of warming one up first.
        StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG, Long.MAX_VALUE,
        StreamsConfig.REPLICATION_FACTOR_CONFIG, replication);
  }

  @BeforeAll
  static void start() {
    stack =
        EmbeddedStack.builder()
            .dataDir(dir.resolve("stack"))
            .brokers(3)
            .kafkaPort(0)
            .registryPort(0)
            .build()
            .start();
    registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
    serdes = PipelineSerdes.using(registry, Map.of());
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void everyItemIsClassifiedOnceAndEveryAlertWrittenOnceDespiteAKilledInstanceAndABrokerRestart()
      throws IOException, InterruptedException {
    final List<NewsItem> items = Items.fromDevSet("eos", 3 * BATCH, Instant.now().minusSeconds(600));
    // The instance to be killed starts first, so it owns tasks whatever the assignor decides.
    final Process child = startChild();
    await().alias("the second instance running").atMost(Duration.ofSeconds(60)).until(CHILD_RUNNING::get);
    final Pipeline local =
        Pipeline.start(
            CONFIG,
            StreamsSettings.forDevCluster(stack.bootstrapServers(), dir.resolve("local"))
                .withApplicationId(APP)
                .withOverrides(fastFailover(3)),
            Classifier.withDefaultRules(),
            PipelineSerdes.using(registry, Map.of()),
            new PipelineMetrics("local"),
            Clock.systemUTC());
    try (KafkaProducer<String, byte[]> producer = producer();
        CommittedOutput output = new CommittedOutput(stack.kafkaProperties(), serdes, CONFIG, "eos-reader");
        Admin admin = Admin.create(stack.kafkaProperties())) {
      await()
          .alias("both instances in the group")
          .atMost(Duration.ofSeconds(60))
          .until(() -> groupMembers(admin) == 2);

      send(producer, items.subList(0, BATCH));
      await()
          .alias("the second instance has classified part of the first batch")
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                output.drain();
                return CHILD_CLASSIFIED.get() >= BATCH / 10;
              });

      LOG.info("Killing the second instance with SIGKILL after {} items", CHILD_CLASSIFIED.get());
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      send(producer, items.subList(BATCH, 2 * BATCH));

      final int broker = stack.cluster().runningBrokerIds().last();
      await()
          .alias("the second batch under way")
          .atMost(Duration.ofSeconds(90))
          .until(() -> output.drain() >= BATCH + BATCH / 3);
      LOG.info("Restarting broker {}", broker);
      stack.cluster().stopBroker(broker);
      send(producer, items.subList(2 * BATCH, 3 * BATCH));
      stack.cluster().startBroker(broker);

      await()
          .alias("all items classified, committed")
          .atMost(Duration.ofSeconds(150))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> output.drain() >= items.size());
      output.assertEachExactlyOnce(items);
    } finally {
      child.destroyForcibly();
      local.close(Duration.ofSeconds(30));
    }
  }

  private static Process startChild() throws IOException {
    final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    final Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                PipelineProcess.class.getName(),
                stack.bootstrapServers(),
                stack.registryUrl(),
                dir.resolve("child").toString(),
                APP)
            .redirectErrorStream(true)
            .start();
    final BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    final Thread pump =
        new Thread(
            () -> {
              try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  if (line.startsWith("classified ")) {
                    CHILD_CLASSIFIED.set(Long.parseLong(line.substring("classified ".length())));
                  } else {
                    CHILD_RUNNING.compareAndSet(false, line.equals("RUNNING"));
                    LOG.info("[child] {}", line);
                  }
                }
              } catch (final IOException e) {
                LOG.debug("Child output closed", e);
              }
            },
            "child-output");
    pump.setDaemon(true);
    pump.start();
    return child;
  }

  private static int groupMembers(final Admin admin) throws Exception {
    try {
      return admin
          .describeConsumerGroups(List.of(APP))
          .all()
          .get(10, TimeUnit.SECONDS)
          .get(APP)
          .members()
          .size();
    } catch (final ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return 0;
      }
      throw e;
    }
  }

  private static void send(final KafkaProducer<String, byte[]> producer, final List<NewsItem> batch) {
    final List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (final NewsItem item : batch) {
      sent.add(
          producer.send(
              new ProducerRecord<>(
                  CONFIG.inputTopic(),
                  item.getId(),
                  serdes.newsItems().serializer().serialize(CONFIG.inputTopic(), item))));
    }
    producer.flush();
    assertThat(sent).as("every record acknowledged").allSatisfy(s -> assertThat(s).succeedsWithin(Duration.ofSeconds(30)));
  }

  private static KafkaProducer<String, byte[]> producer() {
    final Map<String, Object> config = new HashMap<>(stack.kafkaProperties());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

}
