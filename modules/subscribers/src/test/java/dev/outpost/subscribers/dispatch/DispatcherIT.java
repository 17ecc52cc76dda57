package dev.outpost.subscribers.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.Subscription;
import dev.outpost.model.Topics;
import dev.outpost.model.net.OutboundPolicy;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import dev.outpost.subscribers.AlertFilter;
import dev.outpost.subscribers.SecretCipher;
import dev.outpost.subscribers.SubscriptionStore;
import dev.outpost.subscribers.Subscriptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>127.0.0.1 is an internal address, refused by default: the tests allow it explicitly, as an
 * operator would, except where the refusal is what they test.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DispatcherIT {

  private static final String SECRET = "a-shared-secret-for-signatures";
  private static final String KEY = java.util.Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  private static final SecretCipher CIPHER = SecretCipher.fromKeys(KEY, "the test key");
  private static final OutboundPolicy LOOPBACK_ONLY = OutboundPolicy.allowing("127.0.0.1");

  @TempDir static Path dir;
  private static EmbeddedStack stack;
  private static SchemaRegistryClient registry;
  private static SubscriptionStore store;

  @BeforeAll
  static void start() {
    stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start();
    registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
    store = new SubscriptionStore(stack.kafkaProperties(), registry, CIPHER);
    stack.cluster().createTopics(Topics.dispatchTopics("it-a"), (short) 1);
    stack.cluster().createTopics(Topics.dispatchTopics("it-b"), (short) 1);
    stack.cluster().createTopics(Topics.dispatchTopics("it-c"), (short) 1);
    stack.cluster().createTopics(Topics.dispatchTopics("it-d"), (short) 1);
    stack.cluster().createTopics(Topics.dispatchTopics("it-e"), (short) 1);
    stack.cluster().createTopics(Topics.dispatchTopics("it-f"), (short) 1);
    stack.cluster().createTopics(Topics.dispatchTopics("it-g"), (short) 1);
    stack.cluster().createTopics(Topics.dispatchTopics("it-h"), (short) 1);
    stack.cluster().createTopics(Topics.dispatchTopics("it-i"), (short) 1);
    stack.cluster().createTopics(Topics.dispatchTopics("it-j"), (short) 1);
  }

  @AfterAll
  static void stop() {
    registry.close();
    stack.close();
  }

  private static DispatchSettings settings(final String group, final int laneCapacity) {
    return new DispatchSettings(
            group, Duration.ofSeconds(5), 6, Duration.ofMinutes(5), Duration.ofMillis(200), Duration.ofSeconds(2), laneCapacity)
        .withOutbound(LOOPBACK_ONLY);
  }

  /** Publishes alerts whose titles carry the test's keyword; returns their ids by category. */
  private static List<Alert> publish(final String keyword, final int count) throws Exception {
    final List<Alert> alerts = new ArrayList<>();
    try (SpecificAvroSerializer<Alert> values = new SpecificAvroSerializer<>(registry)) {
      values.configure(Map.of(), false);
      try (KafkaProducer<String, Alert> producer =
          new KafkaProducer<>(stack.kafkaProperties(), new StringSerializer(), values)) {
        // Round the categories, so that every one has alerts.
        final List<Category> categories = List.of(Category.values());
        for (int i = 0; i < count; i++) {
          final Category category = categories.get(i % categories.size());
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
    return new Dispatcher(stack.kafkaProperties(), registry, settings(group, laneCapacity), CIPHER, Clock.systemUTC()).start();
  }

  /** The reason in the header of every alert parked by a group, by subscription. */
  private static Map<String, List<String>> parkedReasons(final String group, final int expected) {
    final Map<String, List<String>> reasons = new java.util.TreeMap<>();
    final Map<String, Object> props = new java.util.HashMap<>(stack.kafkaProperties());
    try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> reader =
        new org.apache.kafka.clients.consumer.KafkaConsumer<>(
            props, new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      final org.apache.kafka.common.TopicPartition parked = new org.apache.kafka.common.TopicPartition(Topics.dispatchParked(group).name(), 0);
      reader.assign(List.of(parked));
      reader.seekToBeginning(List.of(parked));
      final int[] read = {0};
      await()
          .alias("the parked records of " + group)
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                reader.poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          read[0]++;
                          reasons.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(Dispatcher.stringHeader(r.headers(), Dispatcher.H_ERROR));
                        });
                return read[0] >= expected;
              });
    }
    return reasons;
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
      final SimpleMeterRegistry meters = new SimpleMeterRegistry();
      final Dispatcher dispatcher =
          new Dispatcher(stack.kafkaProperties(), registry, settings("it-c", 100), CIPHER, Clock.systemUTC()).bindTo(meters).start();
      try {
        await()
            .alias("every refused alert parked")
            .atMost(Duration.ofSeconds(60))
            .until(() -> dispatcher.stats().get("parked") >= alerts.size() + 1);
        await()
            .alias("the parked metric counts each refused alert once")
            .atMost(Duration.ofSeconds(30))
            .until(() -> parkedMetric(meters, "refusing") == alerts.size());
        assertThat(parkedMetric(meters, "gone")).as("parked for the gone webhook").isGreaterThanOrEqualTo(1);
        assertThat(parkedMetric(meters, "refusing") + parkedMetric(meters, "gone"))
            .as("the metric's total is the dispatcher's count")
            .isEqualTo(dispatcher.stats().get("parked").doubleValue());
        assertThat(dispatcher.parkedBySubscription()).containsEntry("refusing", (long) alerts.size());
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

  private static double parkedMetric(final SimpleMeterRegistry meters, final String subscription) {
    final var counter = meters.find("outpost.dispatch.parked").tag("subscription", subscription).functionCounter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void internalWebhooksAreRefusedByDefaultAndTheirAlertsParkedWithTheReason() throws Exception {
    try (Receiver local = new Receiver(SECRET, n -> 200)) {
      store.put(Subscriptions.webhook("loopback", keyword("eta"), local.url(), SECRET, Instant.now()));
      store.put(
          Subscriptions.webhook(
              "mapped", keyword("eta"), local.url().replace("127.0.0.1", "[::ffff:127.0.0.1]"), SECRET, Instant.now()));
      store.put(Subscriptions.webhook("metadata", keyword("eta"), "http://169.254.169.254/latest/meta-data/", SECRET, Instant.now()));
      store.put(Subscriptions.webhook("private", keyword("eta"), "http://10.20.30.40:8080/hook", SECRET, Instant.now()));
      final List<Alert> alerts = publish("eta", 2);
      // The default: no allow-list.
      final Dispatcher dispatcher =
          new Dispatcher(
                  stack.kafkaProperties(),
                  registry,
                  new DispatchSettings(
                      "it-g", Duration.ofSeconds(5), 6, Duration.ofMinutes(5), Duration.ofMillis(200), Duration.ofSeconds(2), 100),
                  CIPHER,
                  Clock.systemUTC())
              .start();
      final Map<String, List<String>> reasons;
      try {
        reasons = parkedReasons("it-g", 4 * alerts.size());
      } finally {
        dispatcher.close();
        List.of("loopback", "mapped", "metadata", "private").forEach(store::remove);
      }
      assertThat(local.arrived()).as("requests that reached the loopback receiver").isZero();
      assertThat(reasons.get("loopback")).hasSize(alerts.size()).allSatisfy(r -> assertThat(r).contains("127.0.0.1, a loopback address"));
      assertThat(reasons.get("mapped")).hasSize(alerts.size()).allSatisfy(r -> assertThat(r).contains("a loopback address"));
      assertThat(reasons.get("metadata")).hasSize(alerts.size()).allSatisfy(r -> assertThat(r).contains("169.254.169.254, a link-local address"));
      assertThat(reasons.get("private")).hasSize(alerts.size()).allSatisfy(r -> assertThat(r).contains("10.20.30.40, a private address"));
      assertThat(reasons.values()).allSatisfy(list -> assertThat(list).allSatisfy(r -> assertThat(r).contains(OutboundPolicy.ALLOW_SETTING)));
      assertThat(dispatcher.stats().get("delivered")).isZero();
    }
  }

  @Test
  void onlyWhatTheAllowListNamesIsReachedAndARedirectIsNeverFollowed() throws Exception {
    // 127.0.0.0/8 is all loopback: 127.0.0.1 stands for an allowed host, 127.0.0.2 for an
    // internal one that the allow-list does not name.
    try (Receiver internal = new Receiver(SECRET, n -> 200, InetAddress.getByName("127.0.0.2"));
        Receiver redirecting = new Receiver(SECRET, n -> 302);
        Receiver allowed = new Receiver(SECRET, n -> 200)) {
      redirecting.redirectTo(internal.url());
      store.put(Subscriptions.webhook("allowed", keyword("iota"), allowed.url(), SECRET, Instant.now()));
      store.put(Subscriptions.webhook("redirecting", keyword("iota"), redirecting.url(), SECRET, Instant.now()));
      store.put(Subscriptions.webhook("unlisted", keyword("iota"), internal.url(), SECRET, Instant.now()));
      final List<Alert> alerts = publish("iota", 3);
      final Dispatcher dispatcher = dispatcher("it-h", 100);
      final Map<String, List<String>> reasons;
      try {
        await().alias("the allowed receiver has every alert").atMost(Duration.ofSeconds(60)).until(() -> allowed.accepted().equals(ids(alerts, null)));
        reasons = parkedReasons("it-h", 2 * alerts.size());
      } finally {
        dispatcher.close();
        List.of("allowed", "redirecting", "unlisted").forEach(store::remove);
      }
      assertThat(internal.arrived()).as("requests that reached 127.0.0.2, directly or by redirect").isZero();
      assertThat(redirecting.arrived()).isEqualTo(alerts.size());
      assertThat(reasons.get("redirecting")).hasSize(alerts.size()).allSatisfy(r -> assertThat(r).contains("HTTP 302", "redirects are not followed"));
      assertThat(reasons.get("unlisted")).hasSize(alerts.size()).allSatisfy(r -> assertThat(r).contains("127.0.0.2, a loopback address"));
      assertThat(reasons).doesNotContainKey("allowed");
    }
  }

  @Test
  void secretsAreEncryptedAtRestAndStillSignEveryDelivery() throws Exception {
    final String legacySecret = "a-secret-from-before-encryption";
    try (Receiver sealed = new Receiver(SECRET, n -> 200);
        Receiver legacy = new Receiver(legacySecret, n -> 200)) {
      store.put(Subscriptions.webhook("sealed", keyword("theta"), sealed.url(), SECRET, Instant.now()));
      // As a version before encryption wrote it: the secret in plaintext.
      try (SpecificAvroSerializer<Subscription> values = new SpecificAvroSerializer<>(registry)) {
        values.configure(Map.of(), false);
        try (KafkaProducer<String, Subscription> producer = new KafkaProducer<>(stack.kafkaProperties(), new StringSerializer(), values)) {
          producer
              .send(
                  new ProducerRecord<>(
                      Topics.SUBSCRIPTIONS.name(),
                      "legacy",
                      Subscriptions.webhook("legacy", keyword("theta"), legacy.url(), legacySecret, Instant.now())))
              .get();
        }
      }
      final List<byte[]> raw = new ArrayList<>();
      final Map<String, Object> props = new java.util.HashMap<>(stack.kafkaProperties());
      try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> reader =
          new org.apache.kafka.clients.consumer.KafkaConsumer<>(
              props, new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
        final org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(Topics.SUBSCRIPTIONS.name(), 0);
        reader.assign(List.of(tp));
        reader.seekToBeginning(List.of(tp));
        final long end = reader.endOffsets(List.of(tp)).get(tp);
        await()
            .alias("the whole subscriptions topic read")
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  reader.poll(Duration.ofMillis(200)).forEach(r -> {
                    if ("sealed".equals(r.key()) && r.value() != null) {
                      raw.add(r.value());
                    }
                  });
                  return reader.position(tp) >= end;
                });
      }
      assertThat(raw).as("the sealed subscription's records").isNotEmpty();
      assertThat(raw).allSatisfy(bytes -> assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET));

      final Dispatcher keyless = new Dispatcher(stack.kafkaProperties(), registry, settings("it-i", 100), SecretCipher.none(), Clock.systemUTC()).start();
      await().alias("the dispatcher without a key stops").atMost(Duration.ofSeconds(60)).until(() -> !keyless.isRunning());
      assertThat(keyless.failure())
          .hasMessageContaining("subscription sealed")
          .hasMessageContaining("no secrets key is configured")
          .hasMessageContaining("OUTPOST_SECRETS_KEY")
          .hasMessageNotContaining("legacy");
      final Dispatcher wrongKey =
          new Dispatcher(
                  stack.kafkaProperties(),
                  registry,
                  settings("it-i", 100),
                  SecretCipher.fromKeys(java.util.Base64.getEncoder().encodeToString(new byte[32]), "another key"),
                  Clock.systemUTC())
              .start();
      await().alias("the dispatcher with the wrong key stops").atMost(Duration.ofSeconds(60)).until(() -> !wrongKey.isRunning());
      assertThat(wrongKey.failure()).hasMessageContaining("subscription sealed").hasMessageContaining("not among the configured keys");

      final List<Alert> alerts = publish("theta", 4);
      final Dispatcher dispatcher = dispatcher("it-i", 100);
      try {
        await()
            .alias("both receivers have every alert, each signed with its own secret")
            .atMost(Duration.ofSeconds(60))
            .until(() -> sealed.accepted().equals(ids(alerts, null)) && legacy.accepted().equals(ids(alerts, null)));
      } finally {
        dispatcher.close();
        store.remove("sealed");
        store.remove("legacy");
      }
      assertThat(sealed.requests()).allSatisfy(r -> assertThat(r.signed()).isTrue());
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

  /**
   * Publishes, in this order, story A's alerts 1 to 12 and story B's 1 to 3 interleaved, and one
   * alert without a story, all parade alerts keyed by their story, so each story's alerts stay in
   * order on one partition. Returns the ids of all of them.
   */
  private static List<Alert> publishStories(final String keyword) throws Exception {
    final List<Alert> alerts = new ArrayList<>();
    try (SpecificAvroSerializer<Alert> values = new SpecificAvroSerializer<>(registry)) {
      values.configure(Map.of(), false);
      try (KafkaProducer<String, Alert> producer = new KafkaProducer<>(stack.kafkaProperties(), new StringSerializer(), values)) {
        final List<String[]> order = new ArrayList<>();
        for (int n = 1; n <= 12; n++) {
          order.add(new String[] {"A", Integer.toString(n)});
          if (n <= 3) {
            order.add(new String[] {"B", Integer.toString(n)});
          }
        }
        order.add(new String[] {null, "0"});
        for (final String[] o : order) {
          final String story = o[0] == null ? null : keyword + "-story-" + o[0];
          final int items = Integer.parseInt(o[1]);
          final String item = keyword + "-" + (o[0] == null ? "alone" : o[0] + items);
          final Alert alert =
              Alert.newBuilder()
                  .setAlertId(item + "#parade")
                  .setItemId(item)
                  .setCategory(Category.PARADE)
                  .setConfidence(0.9)
                  .setActors(List.of("PRK"))
                  .setEvidence(List.of())
                  .setTitle("Item " + item + " about " + keyword)
                  .setSource("outlet-" + items)
                  .setClassifiedAt(Instant.now())
                  .setClassifierVersion("v")
                  .setStoryId(story)
                  .setStoryItems(items)
                  .setStorySources(items)
                  .build();
          producer.send(new ProducerRecord<>(Topics.ALERTS_PARADE.name(), story == null ? item : story, alert)).get();
          alerts.add(alert);
        }
      }
    }
    return alerts;
  }

  @Test
  void aPerStorySubscriptionGetsEachStorysFirstAlertAndMilestonesAndEveryAlertWithoutAStory() throws Exception {
    try (Receiver digest = new Receiver(SECRET, n -> 200);
        Receiver every = new Receiver(SECRET, n -> 200)) {
      store.put(Subscriptions.webhook("digest", keyword("kappa").withPerStory(true), digest.url(), SECRET, Instant.now()));
      store.put(Subscriptions.webhook("every", keyword("kappa"), every.url(), SECRET, Instant.now()));
      final List<Alert> alerts = publishStories("kappa");
      final Set<String> milestones = Set.of("kappa-A1#parade", "kappa-A5#parade", "kappa-A10#parade", "kappa-B1#parade", "kappa-alone#parade");
      final Dispatcher dispatcher = dispatcher("it-j", 100);
      try {
        // Each story's alerts reach the digest's lane in order, so a second alert of story A
        // let through would arrive before its fifth, and this set would never be reached.
        await()
            .alias("the milestones and the alert without a story at the per-story receiver")
            .atMost(Duration.ofSeconds(60))
            .until(() -> digest.accepted().equals(milestones));
        await()
            .alias("every alert at the other receiver")
            .atMost(Duration.ofSeconds(60))
            .until(() -> every.accepted().equals(ids(alerts, null)));
      } finally {
        dispatcher.close();
        store.remove("digest");
        store.remove("every");
      }
      assertThat(every.accepted()).hasSize(16);
      assertThat(digest.accepted()).isEqualTo(milestones);
      assertThat(digest.requests()).hasSize(milestones.size());
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
                  "it-e",
                  KEY)
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
