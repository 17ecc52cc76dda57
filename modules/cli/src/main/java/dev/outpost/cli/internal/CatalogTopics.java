package dev.outpost.cli.internal;

import dev.outpost.clients.TopicAdmin;
import dev.outpost.model.TopicSpec;
import java.util.Collection;
import java.util.List;

/**
 * The catalog's topics as the clients' {@link TopicAdmin} takes them: the clients module knows
 * Kafka alone, not the catalog, so a command hands it names, partitions and settings.
 */
public final class CatalogTopics {

  private CatalogTopics() {}

  /**
   * @param topics topic specs
   * @return their names, in order
   */
  public static List<String> names(final Collection<TopicSpec<?, ?>> topics) {
    return topics.stream().map(TopicSpec::name).toList();
  }

  /**
   * @param topics topic specs
   * @return each as a topic to create, with its partitions, cleanup policy and retention
   */
  public static List<TopicAdmin.Topic> toCreate(final Collection<TopicSpec<?, ?>> topics) {
    return topics.stream().map(t -> new TopicAdmin.Topic(t.name(), t.partitions(), t.configs())).toList();
  }
}
