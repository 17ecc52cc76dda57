package dev.outpost.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.classifier.Classifier;
import dev.outpost.classifier.story.StoryRules;
import dev.outpost.classifier.story.SurgeRules;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Story;
import dev.outpost.model.SurgeAlert;
import dev.outpost.registry.InMemorySchemaRegistryClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stories and surges, end to end through the topology under {@link TopologyTestDriver}. */
class StoryTopologyTest {

  private static final Classifier CLASSIFIER = Classifier.withDefaultRules();
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Instant DAY0 = NOW.minus(Duration.ofDays(90));

  @TempDir Path state;

  private PipelineConfig config;
  private PipelineSerdes serdes;
  private PipelineMetrics metrics;
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> input;
  private TestOutputTopic<String, Alert> exercises;
  private TestOutputTopic<String, Alert> tension;
  private TestOutputTopic<String, Story> stories;
  private TestOutputTopic<String, SurgeAlert> surges;

  private void start(final StoryRules rules, final SurgeRules surgeRules) {
    config = PipelineConfig.defaults().withStories(PipelineConfig.Stories.defaults());
    config =
        config.withStories(
            new PipelineConfig.Stories(config.stories().storiesTopic(), config.stories().surgeTopic(), rules, surgeRules));
    serdes = PipelineSerdes.using(new InMemorySchemaRegistryClient(), Map.of());
    metrics = new PipelineMetrics("test-" + UUID.randomUUID());
    driver =
        new TopologyTestDriver(
            OutpostTopology.build(config, CLASSIFIER, serdes, metrics, CLOCK),
            StreamsSettings.forDevCluster("unused:9092", state)
                .withOverrides(Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE))
                .toProperties(config, metrics),
            NOW);
    input = driver.createInputTopic(config.inputTopic(), new StringSerializer(), new ByteArraySerializer());
    exercises =
        driver.createOutputTopic(config.alertTopic(Category.MILITARY_EXERCISE), new StringDeserializer(), serdes.alerts().deserializer());
    tension =
        driver.createOutputTopic(config.alertTopic(Category.DIPLOMATIC_TENSION), new StringDeserializer(), serdes.alerts().deserializer());
    stories = driver.createOutputTopic(config.stories().storiesTopic(), new StringDeserializer(), serdes.stories().deserializer());
    surges = driver.createOutputTopic(config.stories().surgeTopic(), new StringDeserializer(), serdes.surges().deserializer());
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
      metrics.close();
    }
  }

  private void send(final String id, final String source, final Instant published, final String title, final String body) {
    final NewsItem item =
        NewsItem.newBuilder()
            .setId(id)
            .setSource(source)
            .setTitle(title)
            .setBody(body)
            .setPublishedAt(published)
            .setIngestedAt(NOW)
            .build();
    input.pipeInput(id, serdes.newsItems().serializer().serialize(config.inputTopic(), item), NOW);
  }

  private static Instant day(final double d) {
    return DAY0.plus(Duration.ofMinutes((long) (d * 24 * 60)));
  }

  @Test
  void wireCopiesFromThreeOutletsJoinOneStoryWithTheirCounts() {
    start(StoryRules.defaults(), SurgeRules.defaults());
    final String title = "Russia and Belarus begin Zapad-2025 joint military exercise";
    final String body = "Russian and Belarusian troops began the joint military exercise Zapad-2025 on Friday, the defence ministry said.";

    // minutes apart, as wire copies come
    send("reuters-1", "Reuters", day(0), title, body);
    send("ap-1", "AP", day(0.002), title, body);
    send("afp-1", "AFP", day(0.004), title + " in Belarus", body);

    final List<org.apache.kafka.streams.test.TestRecord<String, Alert>> records = exercises.readRecordsToList();
    assertThat(records).allSatisfy(r -> assertThat(r.headers().lastHeader(dev.outpost.topology.internal.FanOut.SKETCH_HEADER))
        .as("the sketch stays inside the pipeline").isNull());
    final List<Alert> alerts = records.stream().map(org.apache.kafka.streams.test.TestRecord::value).toList();
    assertThat(alerts).extracting(Alert::getItemId).containsExactly("reuters-1", "ap-1", "afp-1");
    assertThat(alerts).extracting(Alert::getStoryId).containsOnly(alerts.get(0).getStoryId()).doesNotContainNull();
    assertThat(alerts).extracting(Alert::getStoryItems).containsExactly(1, 2, 3);
    assertThat(alerts).extracting(Alert::getStorySources).containsExactly(1, 2, 3);
    final List<KeyValue<String, Story>> atStart = stories.readKeyValuesToList();
    assertThat(atStart).as("a story's first summary comes with the alert that starts it")
        .extracting(kv -> kv.value.getItemCount()).containsExactly(1);
    driver.advanceWallClockTime(dev.outpost.topology.internal.StoryProcessor.SUMMARIES_EVERY);
    final List<KeyValue<String, Story>> summaries = stories.readKeyValuesToList();
    assertThat(summaries).as("one summary for the two that joined since").hasSize(1);
    assertThat(summaries).extracting(kv -> kv.key).containsOnly(alerts.get(0).getStoryId());
    final Story last = summaries.get(summaries.size() - 1).value;
    assertThat(last.getItemCount()).isEqualTo(3);
    assertThat(last.getSources()).containsExactly("Reuters", "AP", "AFP");
    assertThat(last.getStates()).contains("BLR", "RUS");
    assertThat(last.getTitle()).isEqualTo(title);
    assertThat(last.getClosed()).isFalse();
    assertThat(metrics.storiesStarted()).isEqualTo(1);
  }

  @Test
  void twoDifferentExercisesOfTheSameStatesAWeekApartAreTwoStories() {
    start(StoryRules.defaults(), SurgeRules.defaults());

    send("fs", "Yonhap", day(0), "South Korea and US begin Freedom Shield exercise",
        "South Korea and the United States began the joint military exercise Freedom Shield on Monday.");
    send("ss", "Yonhap", day(7), "South Korea and US begin Ssangyong exercise",
        "South Korea and the United States began the joint military exercise Ssangyong on Monday.");

    final List<Alert> alerts = exercises.readValuesToList();
    assertThat(alerts).extracting(Alert::getItemId).containsExactly("fs", "ss");
    assertThat(alerts.get(1).getStoryId()).isNotEqualTo(alerts.get(0).getStoryId());
    assertThat(alerts).extracting(Alert::getStoryItems).containsExactly(1, 1);
  }

  @Test
  void aStoryClosesAfterItsQuietPeriodAndLeavesTheStore() {
    start(StoryRules.defaults().withQuietPeriod(Duration.ofDays(3)), SurgeRules.defaults());
    send("a", "Reuters", day(0), "Russia and Belarus begin Zapad-2025 joint military exercise",
        "Russian and Belarusian troops began the joint military exercise Zapad-2025 on Friday.");
    final String first = exercises.readValue().getStoryId();

    // another category's news moves stream time past the quiet period
    send("b", "Reuters", day(4), "Japan protests to China over ship incursion",
        "Japan lodged a formal protest with China after Chinese coast guard ships entered its territorial waters.");

    final List<Story> summaries = stories.readValuesToList();
    assertThat(summaries).filteredOn(s -> s.getStoryId().equals(first)).last().satisfies(s -> assertThat(s.getClosed()).isTrue());
    assertThat(storeIds()).doesNotContain(first);
    assertThat(metrics.storiesStarted()).as("a story closing is not one starting").isEqualTo(2);
  }

  @Test
  void openStoriesStayWithinTheirBound() {
    start(StoryRules.defaults().withMaxOpenStories(3), SurgeRules.defaults());
    final List<String> pairs =
        List.of("France and Germany", "Spain and Portugal", "Poland and Lithuania", "Japan and Australia", "India and Egypt", "Chile and Peru");
    for (int i = 0; i < pairs.size(); i++) {
      send("x" + i, "s", day(i * 0.01), pairs.get(i) + " hold a joint naval exercise",
          pairs.get(i) + " began a joint naval exercise on Tuesday.");
    }

    assertThat(exercises.readValuesToList()).extracting(Alert::getStoryId).doesNotHaveDuplicates().hasSize(pairs.size());
    assertThat(storeIds()).hasSize(3);
    assertThat(stories.readValuesToList()).filteredOn(Story::getClosed).hasSize(3);
  }

  @Test
  void aSurgeOfStoriesAboutOneStateFiresOnceAndResetsWhenItSubsides() {
    start(StoryRules.defaults(), SurgeRules.defaults());

    send("t1", "a", day(0), "Iran summons British ambassador", "Iran summoned the British ambassador in Tehran to protest against new sanctions.");
    send("t2", "b", day(3), "Iran expels German diplomat", "Iran expelled a German diplomat on Thursday, accusing him of spying, and Berlin protested.");
    final List<KeyValue<String, SurgeAlert>> first = surges.readKeyValuesToList();
    send("t3", "c", day(6), "Iran recalls envoy from France", "Iran recalled its ambassador from Paris in protest at remarks by the French president.");

    assertThat(tension.readValuesToList()).extracting(Alert::getStoryItems).containsExactly(1, 1, 1);
    assertThat(first).extracting(kv -> kv.key).contains("DIPLOMATIC_TENSION:IRN");
    final SurgeAlert surge = first.stream().filter(kv -> kv.key.equals("DIPLOMATIC_TENSION:IRN")).findFirst().orElseThrow().value;
    assertThat(surge.getRecentStories()).isEqualTo(2);
    assertThat(surge.getStories()).hasSize(2);
    assertThat(surges.readKeyValuesToList()).extracting(kv -> kv.key).as("no second alert while it lasts").doesNotContain("DIPLOMATIC_TENSION:IRN");

    // weeks later it has subsided; two new stories in one week are a new surge
    send("t4", "a", day(40), "Iran summons Swiss envoy", "Iran summoned the Swiss ambassador to protest against a statement by Bern.");
    send("t5", "b", day(43), "Iran expels Dutch diplomat", "Iran expelled a Dutch diplomat on Monday, and the Netherlands protested.");

    assertThat(surges.readKeyValuesToList()).extracting(kv -> kv.key).containsOnlyOnce("DIPLOMATIC_TENSION:IRN");
    assertThat(metrics.surges()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void theRepartitionTopicsNamedForReplaysAreTheTopologysOwn() {
    final PipelineConfig cfg = PipelineConfig.defaults();
    final org.apache.kafka.streams.TopologyDescription description =
        OutpostTopology.build(cfg, CLASSIFIER, PipelineSerdes.using(new InMemorySchemaRegistryClient(), Map.of()), new PipelineMetrics("d-" + UUID.randomUUID()), CLOCK)
            .describe();
    final java.util.Set<String> sinks = new java.util.TreeSet<>();
    description.subtopologies().forEach(st -> st.nodes().forEach(n -> {
      if (n instanceof org.apache.kafka.streams.TopologyDescription.Sink sink && sink.topic().endsWith("-repartition")) {
        sinks.add("app-" + sink.topic());
      }
    }));

    assertThat(OutpostTopology.repartitionTopics("app", cfg)).containsExactlyInAnyOrderElementsOf(sinks).isNotEmpty();
    assertThat(OutpostTopology.repartitionTopics("app", cfg.withStories(null))).isEmpty();
  }

  private List<String> storeIds() {
    final KeyValueStore<String, byte[]> store = driver.getKeyValueStore(StoryStep.STORY_STORE);
    final List<String> ids = new java.util.ArrayList<>();
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      all.forEachRemaining(kv -> ids.add(kv.key));
    }
    return ids;
  }
}
