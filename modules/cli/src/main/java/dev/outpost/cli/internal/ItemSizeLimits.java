package dev.outpost.cli.internal;

import dev.outpost.cli.UserException;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.ingest.ItemSizeLimit;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.topology.ProducerLimits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the limits an item's record must fit, for {@code publish} and {@code watch}: the producer
 * setting as the pipeline reads it ({@link ProducerLimits}, which the ingest library does not see)
 * and the topics' settings from the cluster, with the commands' plain sentences when it cannot be
 * reached.
 */
public final class ItemSizeLimits {

  private static final Logger LOG = LoggerFactory.getLogger(ItemSizeLimits.class);

  private ItemSizeLimits() {}

  /**
   * Reads the limits that apply: the producer setting from the client properties, and the topics'
   * settings from the cluster. A topic this client may not describe, or that does not exist yet,
   * is left out.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @return the bound
   * @throws UserException when {@code max.request.size} is not a number
   * @throws dev.outpost.clients.ClusterAccessException when the cluster cannot be reached
   */
  public static ItemSizeLimit read(final Map<String, Object> kafkaProperties) {
    final int requestMax;
    try {
      requestMax = ProducerLimits.maxRequestSize(kafkaProperties);
    } catch (final IllegalArgumentException e) {
      throw new UserException(e.getMessage(), e);
    }
    return ItemSizeLimit.of(requestMax, topicLimits(kafkaProperties, List.of(Topics.NEWS_ITEMS, Topics.NEWS_CLASSIFIED)));
  }

  private static Map<String, Integer> topicLimits(final Map<String, Object> kafkaProperties, final List<TopicSpec<?, ?>> topics) {
    return TopicAdmin.withAdmin(
        kafkaProperties,
        (admin, servers) -> {
          final Map<String, Integer> limits = new LinkedHashMap<>();
          final List<ConfigResource> resources =
              topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList();
          final var described = admin.describeConfigs(resources).values();
          for (final ConfigResource resource : resources) {
            try {
              final Config config = described.get(resource).get(TopicAdmin.REACH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
              final ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
              if (entry != null && entry.value() != null) {
                limits.put(resource.name(), Integer.parseInt(entry.value()));
              }
            } catch (final ExecutionException e) {
              // Not allowed to describe it, or not created yet: Kafka still enforces its limit, and
              // an item over it fails by name when it is sent.
              LOG.debug("Cannot read {} of {}: {}", TopicConfig.MAX_MESSAGE_BYTES_CONFIG, resource.name(), e.getCause().toString());
            }
          }
          return limits;
        });
  }
}
