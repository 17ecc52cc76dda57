package dev.outpost.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.classifier.Classifier;
import dev.outpost.classifier.story.OpenStory;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Story;
import dev.outpost.model.SurgeAlert;
import dev.outpost.model.SurgeStory;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.topology.internal.Results;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stories and surges survive a killed instance. An exactly-once pipeline in a JVM of its own
 * ({@link PipelineProcess}) puts the first reports of three events and of a parade into stories,
 * fires the one surge they make (two stories about Iran in the diplomatic-tension category within
 * a week), and is killed with SIGKILL while reports of the parade, from eight outlets, are still
 * arriving, most of them not yet committed. A fresh instance with an empty state directory
 * restores the {@code stories} and {@code story-surges} stores from their changelogs and takes the
 * rest: more reports of the same events, and two more stories about Iran, which must join nothing
 * old and, Iran still surging, fire no second surge.
 *
 * <p>Read committed, then: every alert is written once; the alerts of one event share one story,
 * whose id is that of its first alert's item, and their story counts are 1..n, each once; the
 * story's summaries on {@code stories.v1} count 1..n in order, the last with the story's size and
 * sources; and {@code alerts.surge.v1} holds one surge, for the state and category that surged,
 * naming the two stories that set it off.
 *
 * <p>The input's items are keyed by id across six partitions, so the reports of one event reach
 * the story step in no fixed order; nothing asserted here depends on it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StoriesSurviveRestartIT {

  private static final Logger LOG = LoggerFactory.getLogger(StoriesSurviveRestartIT.class);
  private static final String APP = "outpost-stories-restart-it";
  private static final PipelineConfig CONFIG = PipelineConfig.defaults();
  private static final String SURGE_KEY = Category.DIPLOMATIC_TENSION.name() + ":IRN";

  /** Reports of the parade: before the kill, while it happens, and after the restart. */
  private static final int PARADE_BEFORE = 200;

  private static final int PARADE_DURING = 500;
  private static final int PARADE_AFTER = 200;

  @TempDir Path dir;

  /**
   * One event, reported once by each outlet in turn.
   *
   * @param name the prefix of its items' ids
   * @param category the one label the classifier gives its reports
   * @param title every report's title
   * @param body every report's body
   * @param outlets the outlets, in turn
   * @param reports how many reports
   * @param first when the first was published
   * @param apart the time between two reports
   */
  private record Event(
      String name, Category category, String title, String body, List<String> outlets, int reports, Instant first, Duration apart) {

    NewsItem item(final int i) {
      final Instant published = first.plus(apart.multipliedBy(i));
      return NewsItem.newBuilder()
          .setId(name + "-" + i)
          .setSource(outlets.get(i % outlets.size()))
          .setTitle(title)
          .setBody(body)
          .setPublishedAt(published)
          .setIngestedAt(published)
          .build();
    }

    List<NewsItem> items(final int from, final int to) {
      return IntStream.range(from, to).mapToObj(this::item).toList();
    }

    List<String> alertIds() {
      return IntStream.range(0, reports).mapToObj(i -> Results.alertId(name + "-" + i, category)).toList();
    }

    int sources() {
      return Math.min(reports, outlets.size());
    }
  }

  @Test
  void storiesAndTheSurgeAreWrittenOnceAndKeepCountingAcrossAKilledInstance() throws Exception {
    // The Iran stories start two and a half days apart, more than the two days within which
    // alerts sharing states may join: reports of different rows with one state on one day can be
    // one story (a third of their states in common and a tenth of their words). The last one is
    // a day old, the first eight and a half days; every record lands in an active segment, so
    // retention deletes none during the test.
    final Instant base = Instant.now().minus(Duration.ofHours(8 * 24 + 12)).truncatedTo(ChronoUnit.MINUTES);
    final Duration apart = Duration.ofHours(60);
    final Duration hour = Duration.ofHours(1);
    // The classifier gives each of these one label and the states named: {IRN, GBR}, {IRN, DEU},
    // {RUS, BLR}, {IRN, FRA}, {IRN, NLD}, {PRK}. The diplomatic stories share Iran, but start more
    // than the join gap apart, so each is a story of its own, and Iran's count rises.
    final Event summons =
        new Event("summons", Category.DIPLOMATIC_TENSION, "Iran summons British ambassador",
            "Iran summoned the British ambassador in Tehran to protest against new sanctions.",
            List.of("Reuters", "AP", "AFP"), 3, base, hour);
    final Event expels =
        new Event("expels", Category.DIPLOMATIC_TENSION, "Iran expels German diplomat",
            "Iran expelled a German diplomat on Thursday, accusing him of spying, and Berlin protested.",
            List.of("DW", "Reuters", "BBC"), 3, base.plus(apart), hour);
    final Event zapad =
        new Event("zapad", Category.MILITARY_EXERCISE, "Russia and Belarus begin Zapad-2025 joint military exercise",
            "Russian and Belarusian troops began the joint military exercise Zapad-2025 on Friday, the defence ministry said.",
            List.of("TASS", "BelTA", "Reuters", "AP"), 4, base.plus(Duration.ofHours(3)), hour);
    final Event recalls =
        new Event("recalls", Category.DIPLOMATIC_TENSION, "Iran recalls envoy from France",
            "Iran recalled its ambassador from Paris in protest at remarks by the French president.",
            List.of("AFP", "Le Monde"), 2, base.plus(apart.multipliedBy(2)), hour);
    final Event dutch =
        new Event("dutch", Category.DIPLOMATIC_TENSION, "Iran expels Dutch diplomat",
            "Iran expelled a Dutch diplomat on Monday, and the Netherlands protested.",
            List.of("NOS", "Reuters"), 2, base.plus(apart.multipliedBy(3)), hour);
    final Event parade =
        new Event("parade", Category.PARADE, "North Korea stages military parade in Pyongyang",
            "North Korea displayed intercontinental ballistic missiles at a military parade in Pyongyang on Sunday.",
            List.of("KCNA", "Yonhap", "NK News", "Reuters", "AP", "AFP", "Kyodo", "Xinhua"),
            PARADE_BEFORE + PARADE_DURING + PARADE_AFTER, base.plus(Duration.ofHours(10)), Duration.ofSeconds(10));
    final List<Event> events = List.of(summons, expels, zapad, recalls, dutch, parade);

    // Before the kill: the first reports of three events, two of them stories about Iran, which
    // surge; the parade's first reports; then more of the parade while the instance is killed.
    final List<NewsItem> before = new ArrayList<>();
    before.addAll(summons.items(0, 2));
    before.addAll(expels.items(0, 1));
    before.addAll(zapad.items(0, 2));
    final List<String> beforeAlerts =
        before.stream().map(i -> Results.alertId(i.getId(), byName(events, i.getId()).category())).toList();
    before.addAll(parade.items(0, PARADE_BEFORE));
    final List<NewsItem> during = parade.items(PARADE_BEFORE, PARADE_BEFORE + PARADE_DURING);
    // After it: the rest of each, and two new stories about Iran while it surges.
    final List<NewsItem> after = new ArrayList<>();
    after.addAll(summons.items(2, 3));
    after.addAll(expels.items(1, 3));
    after.addAll(zapad.items(2, 4));
    after.addAll(recalls.items(0, 2));
    after.addAll(dutch.items(0, 2));
    after.addAll(parade.items(PARADE_BEFORE + PARADE_DURING, parade.reports()));

    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir.resolve("stack")).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()))) {
      LOG.info("Broker and registry up");
      final PipelineSerdes serdes = PipelineSerdes.using(registry, Map.of());
      final AtomicBoolean childRunning = new AtomicBoolean();
      final Process child = startChild(stack, childRunning);
      Pipeline restarted = null;
      final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
      try (KafkaProducer<String, byte[]> producer = producer(stack);
          Output output = new Output(stack.kafkaProperties(), serdes)) {
        await().alias("the first instance running").atMost(Duration.ofSeconds(60)).until(childRunning::get);
        send(producer, serdes, before);
        // The parade goes on arriving, 20 reports every 25 ms, while the instance is killed.
        final AtomicInteger next = new AtomicInteger();
        final Future<?> arriving =
            sender.scheduleAtFixedRate(
                () -> {
                  final int from = next.getAndAdd(20);
                  if (from < during.size()) {
                    send(producer, serdes, during.subList(from, Math.min(from + 20, during.size())));
                  }
                },
                0,
                25,
                TimeUnit.MILLISECONDS);

        await()
            .alias("the first reports' alerts and the surge committed, and some of the parade's")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(20))
            .until(
                () -> {
                  output.drain();
                  return output.hasAlerts(beforeAlerts) && output.surges.size() == 1 && output.alerts(parade) >= 50;
                });
        final int committedAtKill = output.alerts(parade);
        LOG.info("Killing the first instance with SIGKILL: {} of the parade's reports sent, {} of its alerts committed",
            PARADE_BEFORE + Math.min(next.get(), during.size()), committedAtKill);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // A new instance with nothing on disk: its stores come back from their changelogs.
        restarted =
            Pipeline.start(
                CONFIG,
                StreamsSettings.forDevCluster(stack.bootstrapServers(), dir.resolve("restarted"))
                    .withApplicationId(APP)
                    .withOverrides(ExactlyOnceUnderFailureIT.fastFailover(1)),
                Classifier.withDefaultRules(),
                PipelineSerdes.using(registry, Map.of()),
                new PipelineMetrics("restarted"),
                Clock.systemUTC());
        await().alias("the parade's reports all sent").atMost(Duration.ofSeconds(30)).until(() -> next.get() >= during.size());
        arriving.cancel(false);
        send(producer, serdes, after);
        LOG.info("Everything sent");

        final Set<String> expected = new HashSet<>();
        events.forEach(e -> expected.addAll(e.alertIds()));
        await()
            .alias("every alert committed, and everything committed read")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  output.drain();
                  return output.hasAlerts(expected) && output.caughtUp() && output.summarized(events);
                });
        // Anything duplicated would arrive right behind; give it a last chance to show up.
        output.drain();
        LOG.info("The parade's alerts: {} committed at the kill, {} in all", committedAtKill, output.alerts(parade));

        assertThat(output.alerts.keySet()).as("alerts written").isEqualTo(expected);
        assertThat(output.alerts.values()).as("times each alert was written").allSatisfy(copies -> assertThat(copies).hasSize(1));

        final Map<Event, String> storyIds = new LinkedHashMap<>();
        for (final Event event : events) {
          final List<Alert> alerts = event.alertIds().stream().map(id -> output.alerts.get(id).get(0)).toList();
          final String storyId = alerts.get(0).getStoryId();
          storyIds.put(event, storyId);
          assertThat(alerts).as(event.name() + ": one story for every report").extracting(Alert::getStoryId).containsOnly(storyId);
          assertThat(alerts)
              .as(event.name() + ": the story's counts, each once")
              .extracting(Alert::getStoryItems)
              .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, event.reports()).boxed().toList());
          final Alert founder = alerts.stream().filter(a -> a.getStoryItems() == 1).findFirst().orElseThrow();
          assertThat(storyId).as(event.name() + ": the id of the story its first alert started")
              .isEqualTo(OpenStory.idFor(event.category().name(), founder.getItemId()));
          assertThat(alerts).as(event.name() + ": sources counted")
              .allSatisfy(a -> assertThat(a.getStorySources()).isBetween(1, Math.min(a.getStoryItems(), event.sources())));
          assertThat(alerts.stream().mapToInt(Alert::getStorySources).max().orElseThrow()).isEqualTo(event.sources());

          final List<Story> summaries = output.stories.get(storyId);
          final List<Integer> counts = summaries.stream().map(Story::getItemCount).toList();
          assertThat(counts.get(0)).as(event.name() + ": the first summary comes with the first report").isEqualTo(1);
          assertThat(counts).as(event.name() + ": summaries as the story grew, never counting back").isSorted();
          final Story last = summaries.get(summaries.size() - 1);
          assertThat(last.getItemCount()).as(event.name() + ": the last summary counts every report").isEqualTo(event.reports());
          assertThat(last.getCategory()).isEqualTo(event.category());
          assertThat(last.getSourceCount()).isEqualTo(event.sources());
          assertThat(last.getClosed()).isFalse();
          assertThat(last.getFirstSeen()).isEqualTo(event.first());
          assertThat(last.getLastSeen()).isEqualTo(event.item(event.reports() - 1).getPublishedAt());
        }
        assertThat(storyIds.values()).as("one story per event").doesNotHaveDuplicates();
        assertThat(output.stories.keySet()).as("stories on stories.v1").containsExactlyInAnyOrderElementsOf(storyIds.values());

        assertThat(output.surges).as("surges written").hasSize(1);
        final ConsumerRecord<String, SurgeAlert> surge = output.surges.get(0);
        assertThat(surge.key()).isEqualTo(SURGE_KEY);
        assertThat(surge.value().getState()).isEqualTo("IRN");
        assertThat(surge.value().getCategory()).isEqualTo(Category.DIPLOMATIC_TENSION);
        assertThat(surge.value().getRecentStories()).isEqualTo(2);
        assertThat(surge.value().getBaselineStories()).isZero();
        assertThat(surge.value().getStories())
            .extracting(SurgeStory::getStoryId)
            .containsExactlyInAnyOrder(storyIds.get(summons), storyIds.get(expels));
        assertThat(restarted.metrics().surges()).as("surges fired after the restart").isZero();
      } finally {
        sender.shutdownNow();
        child.destroyForcibly();
        if (restarted != null) {
          restarted.close(Duration.ofSeconds(30));
        }
      }
    }
  }

  private static Event byName(final List<Event> events, final String itemId) {
    return events.stream().filter(e -> itemId.startsWith(e.name() + "-")).findFirst().orElseThrow();
  }

  private Process startChild(final EmbeddedStack stack, final AtomicBoolean running) throws IOException {
    final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    final Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                PipelineProcess.class.getName(),
                stack.bootstrapServers(),
                stack.registryUrl(),
                dir.resolve("killed").toString(),
                APP,
                "1")
            .redirectErrorStream(true)
            .start();
    final BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    final Thread pump =
        new Thread(
            () -> {
              try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  if (line.equals("RUNNING")) {
                    running.set(true);
                  }
                  if (!line.startsWith("classified ")) {
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

  private static void send(final KafkaProducer<String, byte[]> producer, final PipelineSerdes serdes, final List<NewsItem> items) {
    final List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (final NewsItem item : items) {
      sent.add(
          producer.send(
              new ProducerRecord<>(CONFIG.inputTopic(), item.getId(), serdes.newsItems().serializer().serialize(CONFIG.inputTopic(), item))));
    }
    producer.flush();
    assertThat(sent).as("every record acknowledged").allSatisfy(s -> assertThat(s).succeedsWithin(Duration.ofSeconds(30)));
  }

  private static KafkaProducer<String, byte[]> producer(final EmbeddedStack stack) {
    final Map<String, Object> config = new HashMap<>(stack.kafkaProperties());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * Everything committed to the alert topics, {@code stories.v1} and {@code alerts.surge.v1},
   * read committed from the beginning of every partition: each alert's copies by alert id, each
   * story's summaries in the order written, and the surges.
   */
  private static final class Output implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> reader;
    private final PipelineSerdes serdes;
    private final Map<String, List<Alert>> alerts = new HashMap<>();
    private final Map<String, List<Story>> stories = new HashMap<>();
    private final List<ConsumerRecord<String, SurgeAlert>> surges = new ArrayList<>();

    Output(final Map<String, Object> kafkaProperties, final PipelineSerdes serdes) {
      final Map<String, Object> props = new HashMap<>(kafkaProperties);
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      this.reader = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
      this.serdes = serdes;
      final List<String> topics = new ArrayList<>(CONFIG.alertTopics().values());
      topics.add(CONFIG.stories().storiesTopic());
      topics.add(CONFIG.stories().surgeTopic());
      final List<TopicPartition> partitions = new ArrayList<>();
      for (final String topic : topics) {
        reader.partitionsFor(topic, Duration.ofSeconds(10)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
    }

    void drain() {
      for (final ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(20))) {
        if (r.topic().equals(CONFIG.stories().storiesTopic())) {
          final Story story = serdes.stories().deserializer().deserialize(r.topic(), r.value());
          stories.computeIfAbsent(story.getStoryId(), k -> new ArrayList<>()).add(story);
        } else if (r.topic().equals(CONFIG.stories().surgeTopic())) {
          final SurgeAlert surge = serdes.surges().deserializer().deserialize(r.topic(), r.value());
          surges.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), surge));
        } else {
          final Alert alert = serdes.alerts().deserializer().deserialize(r.topic(), r.value());
          alerts.computeIfAbsent(alert.getAlertId(), k -> new ArrayList<>()).add(alert);
        }
      }
    }

    boolean hasAlerts(final java.util.Collection<String> ids) {
      return alerts.keySet().containsAll(ids);
    }

    int alerts(final Event event) {
      return (int) event.alertIds().stream().filter(alerts::containsKey).count();
    }

    /** @return true once every partition is read up to its last stable offset */
    /** @return whether each event's story has a summary counting all its reports, the last within a second */
    boolean summarized(final List<Event> events) {
      for (final Event event : events) {
        final List<Alert> first = alerts.get(event.alertIds().get(0));
        final List<Story> summaries = first == null ? null : stories.get(first.get(0).getStoryId());
        if (summaries == null || summaries.get(summaries.size() - 1).getItemCount() < event.reports()) {
          return false;
        }
      }
      return true;
    }

    boolean caughtUp() {
      final Set<TopicPartition> assigned = reader.assignment();
      final Map<TopicPartition, Long> ends = reader.endOffsets(assigned);
      return ends.entrySet().stream().allMatch(e -> reader.position(e.getKey()) >= e.getValue());
    }

    @Override
    public void close() {
      reader.close();
    }
  }
}
