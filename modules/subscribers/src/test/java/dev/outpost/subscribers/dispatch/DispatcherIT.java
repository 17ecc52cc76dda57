package dev.outpost.subscribers.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.Subscription;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import dev.outpost.subscribers.AlertFilter;
import dev.outpost.subscribers.SubscriptionStore;
import dev.outpost.subscribers.Subscriptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook dispatcher on a real broker and registry, with real HTTP receivers on 127.0.0.1
 * that fail, go down, stay slow, refuse and disappear. Each test has its own dispatcher group,
 * subscriptions and keyword, and removes its subscriptions at the end.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DispatcherIT {

  private static final String SECRET = "a-shared-secret-for-signatures";

  @TempDir static Path dir;
  private static EmbeddedStack stack;
  private static SchemaRegistryClient registry;
  private static SubscriptionStore store;

  @BeforeAll
  static void start() {
    stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start();
    registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
    store = new SubscriptionStore(stack.kafkaProperties(), registry);
    stack.cluster().createTopics(Topics.dispatchTopics("it-a"), (short) 1);
    stack.cluster().createTopics(Topics.dispatchTopics("it-b"), (short) 1);
    stack.cluster().createTopics(Topics.dispatchTopics("it-c"), (short) 1);
    stack.cluster().createTopics(Topics.dispatchTopics("it-d"), (short) 1);
    stack.cluster().createTopics(Topics.dispatchTopics("it-e"), (short) 1);
    stack.cluster().createTopics(Topics.dispatchTopics("it-f"), (short) 1);
  }

  @AfterAll
  static void stop() {
    registry.close();
    stack.close();
  }

  private static DispatchSettings settings(final String group, final int laneCapacity) {
    return new DispatchSettings(
        group, Duration.ofSeconds(5), 6, Duration.ofMinutes(5), Duration.ofMillis(200), Duration.ofSeconds(2), laneCapacity);
  }

  /** Publishes alerts whose titles carry the test's keyword; returns their ids by category. */
  private static List<Alert> publish(final String keyword, final int count) throws Exception {
    final List<Alert> alerts = new ArrayList<>();
    try (SpecificAvroSerializer<Alert> values = new SpecificAvroSerializer<>(registry)) {
      values.configure(Map.of(), false);
      try (KafkaProducer<String, Alert> producer =
          new KafkaProducer<>(stack.kafkaProperties(), new StringSerializer(), values)) {
        for (int i = 0; i < count; i++) {
          final Category category = Category.values()[i % Category.values().length];
          final String item = keyword + "-" + i;
          final Alert alert =
              Alert.newBuilder()
                  .setAlertId(item + "#" + category.name().toLowerCase(java.util.Locale.ROOT))
                  .setItemId(item)
                  .setCategory(category)
                  .setConfidence(0.9)
                  .setActors(List.of("CHN"))
                  .setEvidence(List.of())
                  .setTitle("Item " + item + " about " + keyword)
                  .setSource("it")
                  .setClassifiedAt(Instant.now())
                  .setClassifierVersion("v")
                  .build();
          producer.send(new ProducerRecord<>(Topics.alertTopicFor(category).name(), item, alert)).get();
          alerts.add(alert);
        }
      }
    }
    return alerts;
  }

  private static AlertFilter keyword(final String keyword, final Category... categories) {
    return new AlertFilter(Set.of(categories), Set.of(), 0, List.of(keyword));
  }

  private static Set<String> ids(final List<Alert> alerts, final Category only) {
    return alerts.stream()
        .filter(a -> only == null || a.getCategory() == only)
        .map(Alert::getAlertId)
        .collect(Collectors.toSet());
  }

  private static Dispatcher dispatcher(final String group, final int laneCapacity) {
    return new Dispatcher(stack.kafkaProperties(), registry, settings(group, laneCapacity), Clock.systemUTC()).start();
  }

  @Test
  void everyAlertReachesEveryMatchingSubscriberThroughFailuresAnOutageAndRateLimits() throws Exception {
    try (Receiver flaky = new Receiver(SECRET, n -> n <= 3 ? 500 : n == 4 ? 429 : 200);
        Receiver outage = new Receiver(SECRET, n -> 200)) {
      outage.down();
      store.put(Subscriptions.webhook("flaky", keyword("alpha"), flaky.url(), SECRET, Instant.now()));
      store.put(Subscriptions.webhook("outage", keyword("alpha", Category.PARADE), outage.url(), SECRET, Instant.now()));
      final List<Alert> alerts = publish("alpha", 24);
      final Dispatcher dispatcher = dispatcher("it-a", 100);
      try {
        await().alias("the flaky receiver has accepted some").atMost(Duration.ofSeconds(60)).until(() -> flaky.accepted().size() >= 5);
        outage.up();
        await()
            .alias("every alert at every matching receiver")
            .atMost(Duration.ofSeconds(90))
            .until(() -> flaky.accepted().equals(ids(alerts, null)) && outage.accepted().equals(ids(alerts, Category.PARADE)));
      } finally {
        dispatcher.close();
        store.remove("flaky");
        store.remove("outage");
      }
      assertThat(flaky.requests()).allSatisfy(r -> assertThat(r.signed()).isTrue());
      assertThat(flaky.requests()).extracting(Receiver.Request::status).contains(500, 429);
      assertThat(dispatcher.stats().get("retried")).isPositive();
      assertThat(dispatcher.failure()).isNull();
    }
  }

  @Test
  void aSlowSubscriberDoesNotHoldUpAHealthyOne() throws Exception {
    final CountDownLatch slowMayAnswer = new CountDownLatch(1);
    try (Receiver healthy = new Receiver(SECRET, n -> 200);
        Receiver slow =
            new Receiver(
                SECRET,
                n -> {
                  try {
                    slowMayAnswer.await();
                  } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return 200;
                })) {
      store.put(Subscriptions.webhook("healthy", keyword("beta"), healthy.url(), SECRET, Instant.now()));
      store.put(Subscriptions.webhook("slow", keyword("beta"), slow.url(), SECRET, Instant.now()));
      final List<Alert> alerts = publish("beta", 20);
      final Dispatcher dispatcher = dispatcher("it-b", 2);
      try {
        await()
            .alias("the healthy receiver has every alert while the slow one holds its first request")
            .atMost(Duration.ofSeconds(60))
            .until(() -> healthy.accepted().equals(ids(alerts, null)));
        // Ordering, not timing: all of the healthy one's deliveries finished before the slow one
        // answered anything.
        assertThat(slow.accepted()).isEmpty();
        slowMayAnswer.countDown();
        await()
            .alias("the slow receiver catches up")
            .atMost(Duration.ofSeconds(90))
            .until(() -> slow.accepted().equals(ids(alerts, null)));
      } finally {
        slowMayAnswer.countDown();
        dispatcher.close();
        store.remove("healthy");
        store.remove("slow");
      }
      assertThat(dispatcher.stats().get("deferred")).as("deliveries moved out of the full lane").isPositive();
    }
  }

  @Test
  void refusedAlertsAreParkedAndRedeliveredAndAGoneWebhookIsDisabled() throws Exception {
    try (Receiver refusing = new Receiver(SECRET, n -> 400);
        Receiver gone = new Receiver(SECRET, n -> 410)) {
      store.put(Subscriptions.webhook("refusing", keyword("gamma"), refusing.url(), SECRET, Instant.now()));
      store.put(Subscriptions.webhook("gone", keyword("gamma"), gone.url(), SECRET, Instant.now()));
      final List<Alert> alerts = publish("gamma", 8);
      final Dispatcher dispatcher = dispatcher("it-c", 100);
      try {
        await()
            .alias("every refused alert parked")
            .atMost(Duration.ofSeconds(60))
            .until(() -> dispatcher.stats().get("parked") >= alerts.size() + 1);
        await()
            .alias("the gone subscription disabled")
            .atMost(Duration.ofSeconds(30))
            .until(() -> !store.readAll(Duration.ofSeconds(10)).get("gone").getEnabled());
        final Subscription off = store.readAll(Duration.ofSeconds(10)).get("gone");
        assertThat(off.getDisabledReason()).contains("410 Gone");
        assertThat(Subscriptions.describe(off)).contains("disabled (410 Gone");
        assertThat(gone.requests()).hasSizeLessThan(alerts.size());

        refusing.policy(n -> 200);
        final long sent = Redeliverer.redeliver(stack.kafkaProperties(), "it-c", "refusing", Clock.systemUTC());
        assertThat(sent).isEqualTo(alerts.size());
        await()
            .alias("the parked alerts delivered")
            .atMost(Duration.ofSeconds(60))
            .until(() -> refusing.accepted().equals(ids(alerts, null)));
        assertThat(Redeliverer.redeliver(stack.kafkaProperties(), "it-c", "refusing", Clock.systemUTC()))
            .as("each parked alert is redelivered once")
            .isZero();
      } finally {
        dispatcher.close();
        store.remove("refusing");
        store.remove("gone");
      }
    }
  }

  @Test
  void aKafkaTargetGetsItsAlertsOnItsTopic() throws Exception {
    stack.cluster().createTopics(List.of(new dev.outpost.model.TopicSpec<>("team.alerts", String.class, byte[].class, 1, dev.outpost.model.CleanupPolicy.DELETE)), (short) 1);
    store.put(Subscriptions.kafka("team", keyword("zeta", Category.TROOP_DISPATCH), "team.alerts", Instant.now()));
    final List<Alert> alerts = publish("zeta", 8);
    final Dispatcher dispatcher = dispatcher("it-f", 100);
    final Set<String> keys = new java.util.HashSet<>();
    final Map<String, Object> props = new java.util.HashMap<>(stack.kafkaProperties());
    props.put("group.id", "team-reader");
    props.put("auto.offset.reset", "earliest");
    try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> reader =
        new org.apache.kafka.clients.consumer.KafkaConsumer<>(
            props,
            new org.apache.kafka.common.serialization.StringDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      reader.subscribe(List.of("team.alerts"));
      await()
          .alias("the troop-dispatch alerts on the team's topic")
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                reader.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
                return keys.equals(ids(alerts, Category.TROOP_DISPATCH));
              });
    } finally {
      dispatcher.close();
      store.remove("team");
    }
  }

  @Test
  void aDispatcherKilledMidDeliveryAndRestartedLosesNothing() throws Exception {
    final CountDownLatch mayAnswer = new CountDownLatch(1);
    try (Receiver receiver =
        new Receiver(
            SECRET,
            n -> {
              if (n <= 3) {
                try {
                  mayAnswer.await();
                } catch (final InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return 200;
            })) {
      store.put(Subscriptions.webhook("killed", keyword("epsilon"), receiver.url(), SECRET, Instant.now()));
      final List<Alert> alerts = publish("epsilon", 12);
      final Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  DispatcherProcess.class.getName(),
                  stack.bootstrapServers(),
                  stack.registryUrl(),
                  "it-e")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      try {
        await().alias("a delivery in flight in the child").atMost(Duration.ofSeconds(60)).until(() -> receiver.arrived() > 0);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        child.destroyForcibly();
        mayAnswer.countDown();
      }
      final Dispatcher again = dispatcher("it-e", 100);
      try {
        await()
            .alias("every alert delivered after the kill")
            .atMost(Duration.ofSeconds(90))
            .until(() -> receiver.accepted().equals(ids(alerts, null)));
      } finally {
        again.close();
        store.remove("killed");
      }
    }
  }

  @Test
  void aDispatcherStoppedMidStreamAndStartedAgainLosesNothing() throws Exception {
    final CountDownLatch mayAnswer = new CountDownLatch(1);
    try (Receiver receiver =
        new Receiver(
            SECRET,
            n -> {
              if (n <= 2) {
                try {
                  mayAnswer.await();
                } catch (final InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return 200;
            })) {
      store.put(Subscriptions.webhook("restart", keyword("delta"), receiver.url(), SECRET, Instant.now()));
      final List<Alert> alerts = publish("delta", 12);
      final Dispatcher first = dispatcher("it-d", 100);
      await().alias("a delivery in flight").atMost(Duration.ofSeconds(60)).until(() -> receiver.arrived() > 0);
      first.close();
      mayAnswer.countDown();
      final Dispatcher second = dispatcher("it-d", 100);
      try {
        await()
            .alias("every alert delivered after the restart")
            .atMost(Duration.ofSeconds(90))
            .until(() -> receiver.accepted().equals(ids(alerts, null)));
      } finally {
        second.close();
        store.remove("restart");
      }
    }
  }
}
