package dev.outpost.topology;

import dev.outpost.model.Alert;
import dev.outpost.model.ClassifiedItem;
import dev.outpost.model.NewsItem;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroSerde;
import java.util.Map;
import dev.outpost.topology.internal.SizeBoundSerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The value serdes of the pipeline's topics, all on one registry client. Keys are item ids,
 * plain UTF-8 strings.
 *
 * @param newsItems reads the input topic
 * @param classifiedItems writes the classified topic
 * @param alerts writes the alert topics
 */
public record PipelineSerdes(
    Serde<NewsItem> newsItems, Serde<ClassifiedItem> classifiedItems, Serde<Alert> alerts) {

  /**
   * @param client the registry client every serde shares; a test passes an in-memory one
   * @param serdeConfig serde settings such as {@code auto.register.schemas}
   * @return the serdes, configured for record values
   */
  public static PipelineSerdes using(
      final SchemaRegistryClient client, final Map<String, ?> serdeConfig) {
    final SpecificAvroSerde<NewsItem> items = new SpecificAvroSerde<>(client, NewsItem.class);
    final SpecificAvroSerde<ClassifiedItem> classified =
        new SpecificAvroSerde<>(client, ClassifiedItem.class);
    final SpecificAvroSerde<Alert> alerts = new SpecificAvroSerde<>(client, Alert.class);
    items.configure(serdeConfig, false);
    classified.configure(serdeConfig, false);
    alerts.configure(serdeConfig, false);
    final int maxRequestSize = ProducerLimits.maxRequestSize(serdeConfig);
    return new PipelineSerdes(items, bounded(classified, maxRequestSize), bounded(alerts, maxRequestSize));
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
