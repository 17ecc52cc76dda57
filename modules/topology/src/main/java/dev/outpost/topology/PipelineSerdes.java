package dev.outpost.topology;

import dev.outpost.model.Alert;
import dev.outpost.model.ClassifiedItem;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Story;
import dev.outpost.model.SurgeAlert;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.EncodedRecord;
import dev.outpost.registry.serde.SpecificAvroDeserializer;
import dev.outpost.registry.serde.SpecificAvroSerde;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import dev.outpost.registry.serde.TopicSerdes;
import dev.outpost.topology.internal.SizeBoundSerializer;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
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
 * @param encodedNewsItems reads the input topic as {@code newsItems} does, keeping each item's
 *     Avro body (see {@link SpecificAvroDeserializer#deserializeEncoded})
 * @param classifiedOutputs writes the classified topic as {@code classifiedItems} does, the same
 *     bytes, but with the item's body copied from its input record rather than encoded again where
 *     that gives the same bytes (see {@link ClassifiedOutput})
 */
public record PipelineSerdes(
    Serde<String> itemIds,
    Serde<NewsItem> newsItems,
    Serde<ClassifiedItem> classifiedItems,
    Serde<Alert> alerts,
    Serde<Story> stories,
    Serde<SurgeAlert> surges,
    Serde<EncodedRecord<NewsItem>> encodedNewsItems,
    Serde<ClassifiedOutput> classifiedOutputs) {

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
    // The catalog's serdes for these two topics, built here rather than by TopicSerdes, for the
    // methods that keep and splice an item's body.
    final SpecificAvroSerde<NewsItem> newsItems = new SpecificAvroSerde<>(client, Topics.NEWS_ITEMS.valueType());
    newsItems.configure(serdeConfig, false);
    final SpecificAvroSerde<ClassifiedItem> classified = new SpecificAvroSerde<>(client, Topics.NEWS_CLASSIFIED.valueType());
    classified.configure(serdeConfig, false);
    return new PipelineSerdes(
        TopicSerdes.keySerde(Topics.NEWS_ITEMS, client, serdeConfig),
        newsItems,
        bounded(classified, maxRequestSize),
        bounded(alerts, maxRequestSize),
        TopicSerdes.valueSerde(Topics.STORIES, client, serdeConfig),
        TopicSerdes.valueSerde(Topics.ALERTS_SURGE, client, serdeConfig),
        encoded(newsItems),
        bounded(spliced(classified), maxRequestSize));
  }

  /** Reads news items with their bodies; writes only their values, as {@code newsItems} does. */
  private static Serde<EncodedRecord<NewsItem>> encoded(final SpecificAvroSerde<NewsItem> newsItems) {
    final SpecificAvroSerializer<NewsItem> serializer = (SpecificAvroSerializer<NewsItem>) newsItems.serializer();
    final SpecificAvroDeserializer<NewsItem> deserializer = (SpecificAvroDeserializer<NewsItem>) newsItems.deserializer();
    return Serdes.serdeFrom(
        (topic, encoded) -> encoded == null ? null : serializer.serialize(topic, encoded.value()),
        deserializer::deserializeEncoded);
  }

  /** Writes classified items with their item's body spliced in; reads them as classified items. */
  private static Serde<ClassifiedOutput> spliced(final SpecificAvroSerde<ClassifiedItem> classified) {
    final SpecificAvroSerializer<ClassifiedItem> serializer = (SpecificAvroSerializer<ClassifiedItem>) classified.serializer();
    final Deserializer<ClassifiedItem> deserializer = classified.deserializer();
    return Serdes.serdeFrom(
        (topic, output) -> output == null ? null : serializer.serialize(topic, output.value(), output.input()),
        (topic, bytes) -> {
          final ClassifiedItem value = deserializer.deserialize(topic, bytes);
          return value == null ? null : new ClassifiedOutput(value, null);
        });
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
