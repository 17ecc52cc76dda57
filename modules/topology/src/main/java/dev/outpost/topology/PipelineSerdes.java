package dev.outpost.topology;

import dev.outpost.model.Alert;
import dev.outpost.model.ClassifiedItem;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Story;
import dev.outpost.model.SurgeAlert;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import dev.outpost.topology.internal.SizeBoundSerializer;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The serdes of the pipeline's topics, made from their catalog entries by {@link TopicSerdes}, all
 * on one registry client. The topology reads its topic names from its configuration (a replay's
 * are in a namespace), but the types of each are the catalog's.
 *
 * @param itemIds the keys of every pipeline topic: item ids, plain UTF-8 strings
 * @param newsItems reads the input topic
 * @param classifiedItems writes the classified topic
 * @param alerts writes the alert topics
 * @param stories writes the stories topic
 * @param surges writes the surge topic
 */
public record PipelineSerdes(
    Serde<String> itemIds,
    Serde<NewsItem> newsItems,
    Serde<ClassifiedItem> classifiedItems,
    Serde<Alert> alerts,
    Serde<Story> stories,
    Serde<SurgeAlert> surges) {

  /**
   * @param client the registry client every serde shares; a test passes an in-memory one
   * @param serdeConfig serde settings such as {@code auto.register.schemas}
   * @return the serdes, configured for record values
   */
  public static PipelineSerdes using(
      final SchemaRegistryClient client, final Map<String, ?> serdeConfig) {
    // Every alert topic has the same key and value types; the topology writes to all of them.
    final Serde<Alert> alerts = TopicSerdes.valueSerde(Topics.ALERTS_MILITARY_EXERCISE, client, serdeConfig);
    final int maxRequestSize = ProducerLimits.maxRequestSize(serdeConfig);
    return new PipelineSerdes(
        TopicSerdes.keySerde(Topics.NEWS_ITEMS, client, serdeConfig),
        TopicSerdes.valueSerde(Topics.NEWS_ITEMS, client, serdeConfig),
        bounded(TopicSerdes.valueSerde(Topics.NEWS_CLASSIFIED, client, serdeConfig), maxRequestSize),
        bounded(alerts, maxRequestSize),
        TopicSerdes.valueSerde(Topics.STORIES, client, serdeConfig),
        TopicSerdes.valueSerde(Topics.ALERTS_SURGE, client, serdeConfig));
  }

  /**
   * What the pipeline writes carries the item it read, so it can be larger than any record of the
   * input: its serializer refuses what the producer could not send (see {@link
   * SizeBoundSerializer}), and the item is dead-lettered instead.
   */
  private static <T> Serde<T> bounded(final Serde<T> serde, final int maxRequestSize) {
    return Serdes.serdeFrom(new SizeBoundSerializer<>(serde.serializer(), maxRequestSize), serde.deserializer());
  }
}
