package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.classifier.story.OpenStory;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.Story;
import dev.outpost.model.SurgeAlert;
import dev.outpost.model.SurgeStory;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroDeserializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outpost replay} gives the same stories and surges every time: the same archive replayed
 * into two namespaces gives each alert the same story id and counts, the same last summary of each
 * story on {@code NAME.stories.v1}, and the same surges on {@code NAME.alerts.surge.v1}.
 *
 * <p>Stories depend on the order alerts reach the story step (a story's id is that of its first
 * alert's item; its counts say where each alert came). An archive is read in the same order every
 * time, but with the input topic's six partitions the order is lost on the way: each partition is
 * a task of its own, and the story step gets the alerts of all six as the stream thread happens to
 * interleave them. Replayed so, this archive gave other story ids, counts and surge ids in three
 * of four namespaces than in the first. So each namespace's input topic is created here, before
 * the replay, with a single partition: one task then reads the items in archive order and writes
 * their alerts to the story step in that order, and four namespaces replayed so were the same.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReplayStoriesIT {

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

  /**
   * One event, reported once by each outlet in turn, an hour apart.
   *
   * @param name the prefix of its items' ids
   * @param category the one label the classifier gives its reports
   * @param title every report's title
   * @param body every report's body
   * @param outlets the outlets
   * @param first how long after {@link #START} the first was published
   */
  private record Event(String name, Category category, String title, String body, List<String> outlets, Duration first) {

    List<ObjectNode> items() {
      final List<ObjectNode> items = new ArrayList<>();
      for (int i = 0; i < outlets.size(); i++) {
        final ObjectNode item = JSON.createObjectNode();
        item.put("id", name + "-" + i);
        item.put("title", title);
        item.put("body", body);
        item.put("source", outlets.get(i));
        item.put("publishedAt", START.plus(first).plus(Duration.ofHours(i)).toString());
        items.add(item);
      }
      return items;
    }
  }

  @Test
  void theSameArchiveReplayedTwiceGivesTheSameStoriesAndSurges() throws Exception {
    // Two stories about Iran within a week make a surge of DIPLOMATIC_TENSION:IRN; they start more
    // than the two-day join gap apart, so they do not join on the state they share. Each event
    // has reports from several outlets, so its story's id and counts depend on which report
    // comes first.
    final List<Event> events =
        List.of(
            new Event("summons", Category.DIPLOMATIC_TENSION, "Iran summons British ambassador",
                "Iran summoned the British ambassador in Tehran to protest against new sanctions.",
                List.of("Reuters", "AP", "AFP", "BBC"), Duration.ZERO),
            new Event("expels", Category.DIPLOMATIC_TENSION, "Iran expels German diplomat",
                "Iran expelled a German diplomat on Thursday, accusing him of spying, and Berlin protested.",
                List.of("DW", "Reuters", "BBC", "AP"), Duration.ofHours(60)),
            new Event("zapad", Category.MILITARY_EXERCISE, "Russia and Belarus begin Zapad-2025 joint military exercise",
                "Russian and Belarusian troops began the joint military exercise Zapad-2025 on Friday, the defence ministry said.",
                List.of("TASS", "BelTA", "Reuters", "AP", "AFP"), Duration.ofHours(3)),
            new Event("parade", Category.PARADE, "North Korea stages military parade in Pyongyang",
                "North Korea displayed intercontinental ballistic missiles at a military parade in Pyongyang on Sunday.",
                List.of("KCNA", "Yonhap", "NK News", "Reuters", "AP", "AFP", "Kyodo", "Xinhua"), Duration.ofHours(10)));
    final List<ObjectNode> items = new ArrayList<>();
    events.forEach(e -> items.addAll(e.items()));
    final Path file = dir.resolve("events.jsonl");
    final StringBuilder lines = new StringBuilder();
    for (final ObjectNode item : items) {
      lines.append(JSON.writeValueAsString(item)).append('\n');
    }
    Files.writeString(file, lines);
    assertThat(cli("publish", "-i", file.toString()).exitCode()).isZero();
    final Path archive = dir.resolve("archive");
    final CliRunner.Result archived = cli("archive", "--out", archive.toString());
    assertThat(archived.out()).as(archived.err()).contains("Archived " + items.size() + " record(s)");

    final List<String> namespaces = List.of("stories-a", "stories-b");
    for (final String namespace : namespaces) {
      singlePartitionInput(namespace);
      final CliRunner.Result replay =
          cli("replay", "--from", archive.toString(), "--namespace", namespace, "--state-dir", dir.resolve("state").toString());
      assertThat(replay.exitCode()).as(replay.err()).isZero();
      assertThat(replay.out()).contains(items.size() + " item(s) sent to " + namespace + ".news.items.v1");
    }

    final Map<String, Map<String, Alert>> alerts = new HashMap<>();
    for (final String namespace : namespaces) {
      await().atMost(Duration.ofSeconds(30)).until(() -> alerts(namespace).size() >= items.size());
      alerts.put(namespace, alerts(namespace));
    }
    final Map<String, Alert> first = alerts.get(namespaces.get(0));
    final Map<String, Alert> second = alerts.get(namespaces.get(1));

    // What the stories are: one per event, whose id is its first alert's, counted 1..n.
    assertThat(first).hasSize(items.size());
    for (final Event event : events) {
      final List<Alert> ofEvent = first.values().stream().filter(a -> a.getItemId().startsWith(event.name() + "-")).toList();
      assertThat(ofEvent).as(event.name()).hasSize(event.outlets().size());
      assertThat(ofEvent).extracting(Alert::getStoryId).as(event.name()).containsOnly(ofEvent.get(0).getStoryId());
      assertThat(ofEvent).extracting(Alert::getStoryItems).as(event.name())
          .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, event.outlets().size()).boxed().toList());
      final Alert founder = ofEvent.stream().filter(a -> a.getStoryItems() == 1).findFirst().orElseThrow();
      assertThat(ofEvent.get(0).getStoryId()).isEqualTo(OpenStory.idFor(event.category().name(), founder.getItemId()));
    }

    // ... and the same in both namespaces, alert for alert: story id, counts and every other
    // field but classifiedAt, which says when each replay ran.
    assertThat(second.keySet()).isEqualTo(first.keySet());
    for (final String alertId : first.keySet()) {
      final Alert a = first.get(alertId);
      final Alert b = second.get(alertId);
      assertThat(List.of(b.getStoryId(), b.getStoryItems(), b.getStorySources()))
          .as("story of " + alertId)
          .isEqualTo(List.of(a.getStoryId(), a.getStoryItems(), a.getStorySources()));
      assertThat(Alert.newBuilder(b).setClassifiedAt(Instant.EPOCH).build())
          .isEqualTo(Alert.newBuilder(a).setClassifiedAt(Instant.EPOCH).build());
    }

    // The last summary of each story, as a compacted stories.v1 keeps it.
    final Map<String, Story> storiesA = lastStories(namespaces.get(0));
    final Map<String, Story> storiesB = lastStories(namespaces.get(1));
    assertThat(storiesA.keySet()).isEqualTo(first.values().stream().map(Alert::getStoryId).collect(Collectors.toSet()));
    assertThat(storiesA.values()).extracting(Story::getItemCount).containsExactlyInAnyOrderElementsOf(events.stream().map(e -> e.outlets().size()).toList());
    assertThat(storiesB).isEqualTo(storiesA);

    // The surges, field for field.
    final List<ConsumerRecord<String, SpecificRecord>> surgesA = read(Topics.in(namespaces.get(0), Topics.ALERTS_SURGE).name(), SurgeAlert.class);
    final List<ConsumerRecord<String, SpecificRecord>> surgesB = read(Topics.in(namespaces.get(1), Topics.ALERTS_SURGE).name(), SurgeAlert.class);
    assertThat(surgesA).extracting(ConsumerRecord::key).containsExactly(Category.DIPLOMATIC_TENSION.name() + ":IRN");
    final SurgeAlert surge = (SurgeAlert) surgesA.get(0).value();
    assertThat(surge.getStories()).extracting(SurgeStory::getStoryId)
        .containsExactlyInAnyOrder(storyOf(first, "summons-"), storyOf(first, "expels-"));
    assertThat(keyed(surgesB)).isEqualTo(keyed(surgesA));
  }

  // --- helpers ---

  /**
   * Creates the namespace's input topic with one partition, kept as long as the replay creates
   * its topics; the replay then finds it there and creates the rest.
   */
  private static void singlePartitionInput(final String namespace) throws Exception {
    try (Admin admin = Admin.create(stack.kafkaProperties())) {
      admin.createTopics(List.of(new NewTopic(Topics.in(namespace, Topics.NEWS_ITEMS).name(), 1, (short) 1).configs(Map.of("retention.ms", "-1"))))
          .all().get(15, TimeUnit.SECONDS);
    }
  }

  private static String storyOf(final Map<String, Alert> alerts, final String itemPrefix) {
    return alerts.values().stream().filter(a -> a.getItemId().startsWith(itemPrefix)).findFirst().orElseThrow().getStoryId();
  }

  private static CliRunner.Result cli(final String... args) {
    final String[] all = new String[args.length + cluster.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(cluster, 0, all, args.length, cluster.length);
    return CliRunner.run(all);
  }

  /** Every alert of a namespace, by alert id. */
  private static Map<String, Alert> alerts(final String namespace) {
    final Map<String, Alert> alerts = new TreeMap<>();
    for (final Category category : Category.values()) {
      for (final ConsumerRecord<String, SpecificRecord> r : read(Topics.in(namespace, Topics.alertTopicFor(category)).name(), Alert.class)) {
        final Alert alert = (Alert) r.value();
        assertThat(alerts.put(alert.getAlertId(), alert)).as("copies of " + alert.getAlertId()).isNull();
      }
    }
    return alerts;
  }

  /** The last record of each story on a namespace's stories.v1, by story id. */
  private static Map<String, Story> lastStories(final String namespace) {
    final Map<String, Story> last = new LinkedHashMap<>();
    read(Topics.in(namespace, Topics.STORIES).name(), Story.class).forEach(r -> last.put(r.key(), (Story) r.value()));
    return last;
  }

  private static Map<String, SpecificRecord> keyed(final List<ConsumerRecord<String, SpecificRecord>> records) {
    final Map<String, SpecificRecord> byKey = new TreeMap<>();
    records.forEach(r -> byKey.put(r.key() + "/" + ((SurgeAlert) r.value()).getSurgeId(), r.value()));
    return byKey;
  }

  /** Every committed record of a topic, from its beginning to its end now, each partition in order. */
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
