package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.classifier.Classifier;
import dev.outpost.clients.TopicReader;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.ingest.replay.ReplayState;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.ClassifiedItem;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroDeserializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outpost replay} on a real broker: the same archive replayed twice gives the same alerts;
 * replayed alerts stay in their namespace; the duplicate window works by event time at maximum
 * speed; a stopped replay resumes with nothing sent twice and nothing missed.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReplayCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant START = Instant.parse("2019-03-01T06:00:00Z");

  @TempDir static Path dir;
  private static EmbeddedStack stack;
  private static SchemaRegistryClient registry;
  private static String[] cluster;

  @BeforeAll
  static void startStack() {
    stack = EmbeddedStack.builder().dataDir(dir.resolve("stack")).kafkaPort(0).registryPort(0).build().start();
    registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
    cluster = new String[] {"--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl()};
  }

  @AfterAll
  static void stopStack() {
    registry.close();
    stack.close();
  }

  @Test
  void theSameArchiveReplayedTwiceGivesTheSameAlertsAndNoneReachLiveSubscribers() throws Exception {
    // Real headlines and leads from the classifier's held-out set, three hours apart in 2019: all within
    // one duplicate window (7 days), so a late repeat still finds its first copy remembered.
    final List<ObjectNode> items = devsetItems(40, Duration.ofHours(3));
    final Path first = write(dir.resolve("items.jsonl"), items);
    // The same story delivered again two hours later (inside the 7-day duplicate window, so it is
    // dropped), and another re-published ten days later (outside it, so it is classified again).
    final ObjectNode repeated = items.get(0).deepCopy().put("publishedAt", plus(items.get(0), Duration.ofHours(2)));
    final ObjectNode republished = items.get(1).deepCopy().put("publishedAt", plus(items.get(1), Duration.ofDays(10)));
    final Path again = write(dir.resolve("again.jsonl"), List.of(repeated, republished));
    assertThat(cli("publish", "-i", first.toString()).exitCode()).isZero();
    assertThat(cli("publish", "-i", again.toString()).exitCode()).isZero();
    final Path archive = dir.resolve("archive");
    final CliRunner.Result archived = cli("archive", "--out", archive.toString());
    assertThat(archived.out()).as(archived.err()).contains("Archived 42 record(s)");

    final CliRunner.Result a = cli("replay", "--from", archive.toString(), "--namespace", "first", "--state-dir", dir.resolve("state").toString());
    final CliRunner.Result b = cli("replay", "--from", archive.toString(), "--namespace", "second", "--state-dir", dir.resolve("state").toString());
    final CliRunner.Result c = cli("replay", "--from-topic", Topics.NEWS_ITEMS.name(), "--namespace", "third", "--state-dir", dir.resolve("state").toString());

    assertThat(a.exitCode()).as(a.err()).isZero();
    assertThat(b.exitCode()).as(b.err()).isZero();
    assertThat(c.exitCode()).as(c.err()).isZero();
    assertThat(a.out()).contains("42 item(s) sent to first.news.items.v1");
    assertThat(a.err()).as("plain progress lines when not on a terminal").containsPattern("replay first: 42 of 42 items \\(100%\\), [0-9,]+/s, 42 sent");

    // Every label the classifier gives these items is an alert, once per item, in each namespace.
    final Classifier classifier = Classifier.withDefaultRules();
    final Set<String> expectedIds = new TreeSet<>();
    for (final ObjectNode item : items) {
      classifier.classify(item.get("title").asText(), item.get("body").asText()).labels()
          .forEach(l -> expectedIds.add(item.get("id").asText() + "#" + l.name().toLowerCase(Locale.ROOT)));
    }
    assertThat(expectedIds).hasSizeGreaterThan(10);
    // A transaction's commit markers reach the partitions just after the commit returns, so
    // reads wait until what was committed is readable.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids(alerts("first"))).as(a.err()).isEqualTo(expectedIds));
    final List<Alert> alertsA = alerts("first");
    await().atMost(Duration.ofSeconds(30)).until(() -> alerts("second").size() >= alertsA.size() && alerts("third").size() >= alertsA.size());
    final List<Alert> alertsB = alerts("second");
    final List<Alert> alertsC = alerts("third");
    // classifiedAt says when a replay ran; every other field must match, record for record.
    assertThat(withoutClassifiedAt(alertsB)).isEqualTo(withoutClassifiedAt(alertsA));
    assertThat(withoutClassifiedAt(alertsC)).isEqualTo(withoutClassifiedAt(alertsA));
    assertThat(alertsA).extracting(Alert::getClassifierVersion).containsOnly(classifier.version());

    // The duplicate window is one of event time: at full speed the repeat two hours later is
    // dropped and the one ten days later is not, though all arrived within the same second.
    await().atMost(Duration.ofSeconds(30)).until(() -> classified("first").size() == 40);
    final Map<String, List<Instant>> classified = classified("first");
    assertThat(classified.get(items.get(0).get("id").asText())).hasSize(1);
    assertThat(classified.get(items.get(1).get("id").asText())).hasSize(2);
    assertThat(a.err()).contains("duplicates dropped 1");

    // Each record is timed at its item's publication.
    for (final ConsumerRecord<String, SpecificRecord> r : read("first.news.items.v1", NewsItem.class)) {
      assertThat(r.timestamp()).isEqualTo(((NewsItem) r.value()).getPublishedAt().toEpochMilli());
    }
    // ... so the namespace keeps its records whatever their age.
    try (Admin admin = Admin.create(stack.kafkaProperties())) {
      final ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "first.news.items.v1");
      final Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
      assertThat(config.get("retention.ms").value()).isEqualTo("-1");
    }

    // Nothing reached the live alert topics; only a subscriber of the namespace sees the alerts.
    for (final Category category : Category.values()) {
      assertThat(read(Topics.alertTopicFor(category).name(), Alert.class)).isEmpty();
    }
    final CliRunner.Result live = cli("subscribe", "--from", "earliest", "--idle-timeout", "2s", "--group", "live-reader");
    final CliRunner.Result replayed =
        cli("subscribe", "--namespace", "first", "--from", "earliest", "--idle-timeout", "2s", "--group", "replay-reader");
    assertThat(live.exitCode()).as(live.err()).isZero();
    assertThat(live.out()).isEmpty();
    assertThat(replayed.out().lines().count()).isEqualTo(alertsA.size());
  }

  @Test
  void sinceAndUntilBoundTheItemsByPublicationTime() throws Exception {
    final List<ObjectNode> items = devsetItems(20, Duration.ofDays(1));
    final Path file = write(dir.resolve("bounded.jsonl"), items);
    final String since = plus(items.get(5), Duration.ZERO);
    final String until = plus(items.get(15), Duration.ZERO);

    final CliRunner.Result result =
        cli("replay", "--from", file.toString(), "--namespace", "bounded", "--since", since, "--until", until, "--no-pipeline");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("10 item(s) sent to bounded.news.items.v1, 10 outside --since/--until");
    await().atMost(Duration.ofSeconds(30)).until(() -> read("bounded.news.items.v1", NewsItem.class).size() >= 10);
    assertThat(read("bounded.news.items.v1", NewsItem.class))
        .extracting(r -> ((NewsItem) r.value()).getPublishedAt())
        .allMatch(t -> !t.isBefore(Instant.parse(since)) && t.isBefore(Instant.parse(until)))
        .hasSize(10);
  }

  @Test
  void aReplayStoppedByASignalResumesWithNothingSentTwiceAndNothingMissed() throws Exception {
    // Forty items a minute apart; at 120x they take twenty seconds to send.
    final List<ObjectNode> items = devsetItems(40, Duration.ofMinutes(1));
    final Path file = write(dir.resolve("paced.jsonl"), items);
    final String[] replay = {"replay", "--from", file.toString(), "--namespace", "paced", "--state-dir", dir.resolve("state").toString()};

    final long sentBeforeStop;
    try (OutpostProcess process = OutpostProcess.start(with(with(replay, cluster), "--speed", "120x", "--no-pipeline", "--progress-interval", "1s"))) {
      await().atMost(Duration.ofSeconds(60)).until(() -> published("paced") >= 5 || !process.isAlive());
      assertThat(process.isAlive()).as(String.join("\n", process.lines())).isTrue();
      assertThat(process.terminateTimed()).as("time from SIGTERM to exit").isLessThan(Duration.ofSeconds(5));
      // A JVM a signal stops exits 128 + the signal's number: 143 for SIGTERM, 130 for Ctrl-C.
      assertThat(process.exitValue()).as(String.join("\n", process.lines())).isEqualTo(143);
      assertThat(process.lines()).anyMatch(l -> l.contains("Run the same command again to resume"));
      sentBeforeStop = published("paced");
    }
    assertThat(sentBeforeStop).isBetween(5L, 39L);
    await().atMost(Duration.ofSeconds(30)).until(() -> read("paced.news.items.v1", NewsItem.class).size() >= sentBeforeStop);
    assertThat(read("paced.news.items.v1", NewsItem.class)).hasSize((int) sentBeforeStop);

    final CliRunner.Result resumed = cli(with(replay, "--speed", "max"));

    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.err()).contains("Resuming the replay into 'paced'");
    await().atMost(Duration.ofSeconds(30)).until(() -> read("paced.news.items.v1", NewsItem.class).size() >= 40);
    final List<String> keys = read("paced.news.items.v1", NewsItem.class).stream().map(ConsumerRecord::key).toList();
    assertThat(keys).hasSize(40).doesNotHaveDuplicates();
    assertThat(new HashSet<>(keys)).isEqualTo(items.stream().map(i -> i.get("id").asText()).collect(java.util.stream.Collectors.toSet()));
    await().atMost(Duration.ofSeconds(30)).until(() -> classified("paced").size() == 40);
  }

  @Test
  void anotherSourceIntoATakenNamespaceIsRefusedUntilItIsDeleted() throws Exception {
    final Path one = write(dir.resolve("one.jsonl"), devsetItems(3, Duration.ofHours(1)));
    final Path two = write(dir.resolve("two.jsonl"), devsetItems(4, Duration.ofHours(1)));
    final String state = dir.resolve("state").toString();
    assertThat(cli("replay", "--from", one.toString(), "--namespace", "taken", "--no-pipeline").exitCode()).isZero();

    // A namespace whose name starts with this one's: its pipeline's changelog shares the prefix.
    final String otherChangelog = "outpost-pipeline.taken-2-item-ids-seen-changelog";
    try (Admin admin = Admin.create(stack.kafkaProperties())) {
      admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(otherChangelog, 1, (short) 1))).all().get(15, TimeUnit.SECONDS);
    }

    final CliRunner.Result refused = cli("replay", "--from", two.toString(), "--namespace", "taken", "--no-pipeline");
    final CliRunner.Result deleted = cli("replay", "--namespace", "taken", "--delete-namespace", "--state-dir", state);
    final CliRunner.Result fresh = cli("replay", "--from", two.toString(), "--namespace", "taken", "--no-pipeline");

    assertThat(refused.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(refused.err()).contains("Namespace 'taken' holds another replay", "--delete-namespace");
    assertThat(deleted.exitCode()).as(deleted.err()).isZero();
    assertThat(deleted.out()).contains("taken.news.items.v1").doesNotContain(otherChangelog);
    try (Admin admin = Admin.create(stack.kafkaProperties())) {
      assertThat(admin.listTopics().names().get(15, TimeUnit.SECONDS)).as("the other namespace's changelog").contains(otherChangelog);
    }
    assertThat(fresh.exitCode()).as(fresh.err()).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> read("taken.news.items.v1", NewsItem.class).size() >= 4);
    assertThat(read("taken.news.items.v1", NewsItem.class)).hasSize(4);
  }

  // --- helpers ---

  private static CliRunner.Result cli(final String... args) {
    return CliRunner.run(with(args, cluster));
  }

  private static String[] with(final String[] args, final String... more) {
    final String[] all = new String[args.length + more.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  private static long published(final String namespace) {
    final String json = TopicReader.readState(stack.kafkaProperties(), Topics.REPLAY_STATE.name()).get(namespace);
    return json == null ? 0 : ReplayState.fromJson(json).published();
  }

  private static List<ObjectNode> devsetItems(final int count, final Duration apart) throws IOException {
    final List<ObjectNode> items = new ArrayList<>();
    for (final String line : Files.readAllLines(Path.of("../classifier/devset/holdout.jsonl"))) {
      final JsonNode d = JSON.readTree(line);
      if (!d.hasNonNull("title") || d.get("title").asText().isBlank() || !d.hasNonNull("text")) {
        continue;
      }
      final ObjectNode item = JSON.createObjectNode();
      item.put("id", d.get("id").asText());
      item.put("title", d.get("title").asText());
      item.put("body", d.get("text").asText());
      item.put("source", d.path("outlet").asText("devset"));
      item.put("publishedAt", START.plus(apart.multipliedBy(items.size())).toString());
      items.add(item);
      if (items.size() == count) {
        break;
      }
    }
    return items;
  }

  private static String plus(final ObjectNode item, final Duration d) {
    return Instant.parse(item.get("publishedAt").asText()).plus(d).toString();
  }

  private static Path write(final Path file, final List<ObjectNode> items) throws IOException {
    final StringBuilder lines = new StringBuilder();
    for (final ObjectNode item : items) {
      lines.append(JSON.writeValueAsString(item)).append('\n');
    }
    return Files.writeString(file, lines);
  }

  private static List<Alert> alerts(final String namespace) {
    final List<Alert> alerts = new ArrayList<>();
    for (final Category category : Category.values()) {
      read(Topics.in(namespace, Topics.alertTopicFor(category)).name(), Alert.class).forEach(r -> alerts.add((Alert) r.value()));
    }
    return alerts;
  }

  private static Set<String> ids(final List<Alert> alerts) {
    final Set<String> ids = new TreeSet<>();
    alerts.forEach(alert -> ids.add(alert.getAlertId()));
    return ids;
  }

  /**
   * The alerts without what may differ between runs: when they were classified, and the story
   * fields, which depend on the order alerts of several input partitions reach the story step.
   */
  private static List<Alert> withoutClassifiedAt(final List<Alert> alerts) {
    return alerts.stream()
        .map(a -> Alert.newBuilder(a).setClassifiedAt(Instant.EPOCH).setStoryId(null).setStoryItems(0).setStorySources(0).build())
        .sorted(Comparator.comparing(Alert::getAlertId).thenComparing(Alert::getPublishedAt))
        .toList();
  }

  private static Map<String, List<Instant>> classified(final String namespace) {
    final Map<String, List<Instant>> byId = new HashMap<>();
    for (final ConsumerRecord<String, SpecificRecord> r : read(Topics.in(namespace, Topics.NEWS_CLASSIFIED).name(), ClassifiedItem.class)) {
      final NewsItem item = ((ClassifiedItem) r.value()).getItem();
      byId.computeIfAbsent(item.getId(), k -> new ArrayList<>()).add(item.getPublishedAt());
    }
    return byId;
  }

  /** Every committed record of a topic, from its beginning to its end now. */
  private static <T extends SpecificRecord> List<ConsumerRecord<String, SpecificRecord>> read(final String topic, final Class<T> type) {
    final Map<String, Object> props = new HashMap<>(stack.kafkaProperties());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    final List<ConsumerRecord<String, SpecificRecord>> records = new ArrayList<>();
    try (KafkaConsumer<String, SpecificRecord> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new SpecificAvroDeserializer<SpecificRecord>(registry, castClass(type)))) {
      final List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  @SuppressWarnings("unchecked")
  private static Class<SpecificRecord> castClass(final Class<? extends SpecificRecord> type) {
    return (Class<SpecificRecord>) type;
  }
}
