package dev.outpost.topology;

import dev.outpost.classifier.Classification;
import dev.outpost.classifier.Classifier;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.NewsItem;
import dev.outpost.registry.serde.EncodedRecord;
import dev.outpost.topology.internal.Deduplicator;
import dev.outpost.topology.internal.FanOut;
import dev.outpost.topology.internal.ItemValidator;
import dev.outpost.topology.internal.Results;
import dev.outpost.topology.internal.StoryProcessor;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The pipeline, as a pure function of its configuration: the same {@link Topology} runs under
 * {@code TopologyTestDriver}, on the embedded broker and on a production cluster.
 *
 * <pre>
 * news.items.v1 ─ read ─ validate ─ deduplicate ─ classify ─ key-by-id ─┬─ news.classified.v1
 *                                                                      └─ fan-out ─┐
 *   ┌──────────────────────────────────────────────────────────────────────────────┘
 *   └─ key-by-category ─ stories-by-category (repartition) ─ stories ─┬─ route ─ alerts.&lt;category&gt;.v1
 *                                                                     ├─ stories.v1
 *                                                                     └─ alerts.surge.v1
 * </pre>
 *
 * <p>With a dedupe window of zero there is no deduplicate step and no state store. Without
 * stories, fan-out goes straight to route, and alerts carry no story.
 *
 * <p>Stories are keyed by category for the repartition: a story never spans categories, and the
 * states an alert names overlap those of the story it joins only in part ("KOR, USA" and "KOR,
 * PRK, USA"), so no key finer than the category puts every candidate story in one task. The cost
 * is that the story step runs on at most four tasks, after the classifier, which runs on every
 * input partition; only labelled items reach it (see README, "Stories end to end", for its cost).
 *
 * <p>Records that cannot be read, invalid items and failures at any step go to the dead-letter
 * topic through the handlers {@link StreamsSettings} installs; nothing in the topology catches
 * them itself.
 */
public final class OutpostTopology {

  /** The window store of item ids seen, for dropping repeats. */
  public static final String SEEN_STORE = "item-ids-seen";

  /**
   * How often, in wall-clock time, stories that grew get a new summary on {@code stories.v1}; see
   * {@link PipelineMetrics#storySummariesOwed()}.
   */
  public static final Duration STORY_SUMMARIES_EVERY = StoryProcessor.SUMMARIES_EVERY;

  /**
   * The names this topology gives its state stores and repartitions, whatever its configuration:
   * the application's internal topics are {@code <application.id>-<name>-changelog} and {@code
   * -repartition} for these names and no others (a store or repartition added to the topology is
   * added here, or a reset would leave its changelog behind).
   */
  public static final Set<String> INTERNAL_NAMES = Set.of(SEEN_STORE, StoryStep.STORY_STORE, StoryStep.SURGE_STORE, StoryStep.BY_CATEGORY);

  /**
   * @param applicationId the pipeline's application id
   * @param config its configuration
   * @return the repartition topics Kafka Streams creates for it: the story step's, when it has one
   */
  public static java.util.List<String> repartitionTopics(final String applicationId, final PipelineConfig config) {
    return config.hasStories() ? java.util.List.of(applicationId + "-" + StoryStep.BY_CATEGORY + "-repartition") : java.util.List.of();
  }

  static final String READ = "read-news";
  static final String VALIDATE = "validate";
  static final String DEDUPLICATE = "deduplicate";
  static final String CLASSIFY = "classify";
  static final String KEY_BY_ID = "key-by-id";
  static final String WRITE_CLASSIFIED = "write-classified";
  static final String FAN_OUT = "fan-out";
  static final String ROUTE = "route-";
  static final String WRITE_ALERTS = "write-alerts-";

  private OutpostTopology() {}

  /**
   * @param config topics and limits
   * @param classifier the classifier every item goes through
   * @param serdes the key and value serdes, on one registry client
   * @param metrics where the pipeline's counts go
   * @param clock the time stamped on results as {@code classifiedAt}
   * @return the topology
   */
  public static Topology build(
      final PipelineConfig config,
      final Classifier classifier,
      final PipelineSerdes serdes,
      final PipelineMetrics metrics,
      final Clock clock) {
    Objects.requireNonNull(classifier, "classifier");
    return build(config, classifier::classify, serdes, metrics, clock);
  }

  /**
   * @param config topics and limits
   * @param classifier what classifies each item
   * @param serdes the key and value serdes, on one registry client
   * @param metrics where the pipeline's counts go
   * @param clock the time stamped on results as {@code classifiedAt}
   * @return the topology
   */
  public static Topology build(
      final PipelineConfig config,
      final ItemClassifier classifier,
      final PipelineSerdes serdes,
      final PipelineMetrics metrics,
      final Clock clock) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(classifier, "classifier");
    Objects.requireNonNull(serdes, "serdes");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(clock, "clock");
    final StreamsBuilder builder = new StreamsBuilder();
    if (config.deduplicates()) {
      final StoreBuilder<WindowStore<String, Long>> seen =
          Stores.windowStoreBuilder(
              Stores.persistentWindowStore(
                  SEEN_STORE,
                  Deduplicator.retention(config.dedupeWindow()),
                  config.dedupeWindow(),
                  false),
              Serdes.String(),
              Serdes.Long());
      builder.addStateStore(seen);
    }

    final ItemValidator validator = new ItemValidator(config.maxTitleBytes(), config.maxBodyBytes());
    // Each item is read with its Avro body, which the classified item's serializer writes as the
    // item's bytes instead of encoding the item again (see ClassifiedOutput). No step changes an
    // item: one that did would have to build a new NewsItem, and its item would then be encoded.
    final KStream<String, EncodedRecord<NewsItem>> items =
        builder.stream(
            config.inputTopic(),
            Consumed.with(serdes.itemIds(), serdes.encodedNewsItems())
                .withTimestampExtractor(new EventTimeExtractor(clock, metrics))
                .withName(READ));

    final KStream<String, EncodedRecord<NewsItem>> valid =
        items.mapValues(
            encoded -> {
              metrics.item();
              validator.check(encoded == null ? null : encoded.value());
              return encoded;
            },
            Named.as(VALIDATE));
    final KStream<String, EncodedRecord<NewsItem>> unique =
        config.deduplicates()
            ? valid.processValues(
                () -> new Deduplicator<EncodedRecord<NewsItem>>(SEEN_STORE, config.dedupeWindow(), metrics::duplicate, encoded -> encoded.value().getId()),
                Named.as(DEDUPLICATE),
                SEEN_STORE)
            : valid;
    final KStream<String, ClassifiedOutput> classified =
        unique
            .mapValues(
                encoded -> {
                  final NewsItem item = encoded.value();
                  final long start = System.nanoTime();
                  final Classification result =
                      classifier.classify(item.getTitle(), item.getBody(), item.getLanguage());
                  metrics.classified(System.nanoTime() - start);
                  if (!result.languageSupported()) {
                    // Written, marked, to news.classified.v1 all the same: not read is not "nothing found".
                    metrics.unsupportedLanguage(result.language());
                  }
                  return new ClassifiedOutput(Results.classified(item, result, clock.instant()), encoded);
                },
                Named.as(CLASSIFY))
            .selectKey((key, value) -> value.value().getItem().getId(), Named.as(KEY_BY_ID));

    classified.to(
        config.classifiedTopic(),
        Produced.with(serdes.itemIds(), serdes.classifiedOutputs()).withName(WRITE_CLASSIFIED));

    final KStream<String, Alert> fannedOut =
        classified.processValues(() -> new FanOut(config.hasStories(), metrics::alert), Named.as(FAN_OUT));
    final KStream<String, Alert> alerts =
        config.hasStories() ? StoryStep.add(builder, fannedOut, config.stories(), serdes, metrics) : fannedOut;
    final BranchedKStream<String, Alert> routes = alerts.split(Named.as(ROUTE));
    for (final Category category : Category.values()) {
      final String topic = config.alertTopic(category);
      final String name = category.name().toLowerCase(Locale.ROOT).replace('_', '-');
      routes.branch(
          (key, alert) -> alert.getCategory() == category,
          Branched.withConsumer(
              stream ->
                  stream.to(
                      topic,
                      Produced.with(serdes.itemIds(), serdes.alerts())
                          .withName(WRITE_ALERTS + name)),
              name));
    }
    return builder.build();
  }

  /**
   * @param processorNodeId the node a failure happened in
   * @return the stage it belongs to
   */
  static Stage stageOf(final String processorNodeId) {
    if (processorNodeId == null) {
      return Stage.PROCESS;
    }
    if (processorNodeId.equals(READ)) {
      return Stage.DESERIALIZE;
    }
    if (processorNodeId.equals(VALIDATE)) {
      return Stage.VALIDATE;
    }
    if (processorNodeId.equals(DEDUPLICATE)) {
      return Stage.DEDUPLICATE;
    }
    if (processorNodeId.equals(CLASSIFY)) {
      return Stage.CLASSIFY;
    }
    if (StoryStep.owns(processorNodeId)) {
      return Stage.STORY;
    }
    if (processorNodeId.equals(FAN_OUT) || processorNodeId.startsWith(ROUTE)) {
      return Stage.FAN_OUT;
    }
    if (processorNodeId.equals(WRITE_CLASSIFIED) || processorNodeId.startsWith(WRITE_ALERTS)) {
      return Stage.PRODUCE;
    }
    return Stage.PROCESS;
  }
}
