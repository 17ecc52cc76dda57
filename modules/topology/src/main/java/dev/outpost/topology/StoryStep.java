package dev.outpost.topology;

import dev.outpost.model.Alert;
import dev.outpost.model.Story;
import dev.outpost.model.SurgeAlert;
import dev.outpost.topology.internal.SingleObjectSerde;
import dev.outpost.topology.internal.StoryProcessor;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/** The story step of {@link OutpostTopology}: alerts in, alerts with their story out. */
final class StoryStep {

  /** The key-value store of open stories, by story id. */
  static final String STORY_STORE = "stories";

  /** The key-value store of surge trackers, by {@code <CATEGORY>:<state>}. */
  static final String SURGE_STORE = "story-surges";

  /** The repartition that brings every alert of a category to one task. */
  static final String BY_CATEGORY = "stories-by-category";

  static final String KEY_BY_CATEGORY = "key-by-category";
  static final String STORIES = "stories";
  static final String SPLIT = "story-out-";
  static final String WRITE_STORIES = "write-stories";
  static final String WRITE_SURGES = "write-surges";

  private StoryStep() {}

  /**
   * @param builder the topology's builder, which gets the stores
   * @param alerts alerts keyed by item id
   * @param stories topics and rules
   * @param serdes the pipeline's serdes
   * @param metrics where story and surge counts go
   * @return the same alerts with their story, keyed by item id
   */
  static KStream<String, Alert> add(
      final StreamsBuilder builder,
      final KStream<String, Alert> alerts,
      final PipelineConfig.Stories stories,
      final PipelineSerdes serdes,
      final PipelineMetrics metrics) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORY_STORE), Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SURGE_STORE), Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
    final KStream<String, SpecificRecord> out =
        alerts
            .selectKey((itemId, alert) -> alert.getCategory().name(), Named.as(KEY_BY_CATEGORY))
            .repartition(Repartitioned.with(Serdes.String(), SingleObjectSerde.alerts()).withName(BY_CATEGORY))
            .process(
                () -> new StoryProcessor(STORY_STORE, SURGE_STORE, stories.rules(), stories.surges(), metrics::storyStarted, metrics::storySummariesOwed),
                Named.as(STORIES),
                STORY_STORE,
                SURGE_STORE);
    out.filter((k, v) -> v instanceof Story, Named.as(SPLIT + "stories"))
        .mapValues(v -> (Story) v, Named.as(SPLIT + "story-values"))
        .peek((k, story) -> {
              if (story.getClosed()) {
                metrics.storyClosed();
              }
            }, Named.as(SPLIT + "story-count"))
        .to(stories.storiesTopic(), Produced.with(Serdes.String(), serdes.stories()).withName(WRITE_STORIES));
    out.filter((k, v) -> v instanceof SurgeAlert, Named.as(SPLIT + "surges"))
        .mapValues(v -> (SurgeAlert) v, Named.as(SPLIT + "surge-values"))
        .peek((k, surge) -> metrics.surge(), Named.as(SPLIT + "surge-count"))
        .to(stories.surgeTopic(), Produced.with(Serdes.String(), serdes.surges()).withName(WRITE_SURGES));
    return out.filter((k, v) -> v instanceof Alert, Named.as(SPLIT + "alerts"))
        .mapValues(v -> (Alert) v, Named.as(SPLIT + "alert-values"))
        .peek((k, alert) -> metrics.storyAlert(), Named.as(SPLIT + "alert-count"));
  }

  /**
   * @param processorNodeId a node of the topology
   * @return whether it is one of this step's
   */
  static boolean owns(final String processorNodeId) {
    return processorNodeId.equals(KEY_BY_CATEGORY)
        || processorNodeId.startsWith(BY_CATEGORY)
        || processorNodeId.equals(STORIES)
        || processorNodeId.startsWith(SPLIT);
  }
}
