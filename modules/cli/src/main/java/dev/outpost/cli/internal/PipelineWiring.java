package dev.outpost.cli.internal;

import dev.outpost.cli.UserException;
import dev.outpost.cli.config.Durations;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.config.Settings;
import dev.outpost.clients.PipelineAdmin;
import dev.outpost.topology.OutpostTopology;
import dev.outpost.topology.PipelineConfig;
import dev.outpost.topology.StreamsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Turns the resolved command-line configuration into the topology's settings. */
public final class PipelineWiring {

  private PipelineWiring() {}

  /**
   * @param config the resolved configuration
   * @return the catalog's topics with the configured limits
   */
  public static PipelineConfig pipelineConfig(final ResolvedConfig config) {
    return PipelineConfig.defaults()
        .withLimits(
            Integer.parseInt(config.get(Settings.MAX_TITLE_BYTES)),
            Integer.parseInt(config.get(Settings.MAX_BODY_BYTES)))
        .withDedupeWindow(dedupeWindow(config.get(Settings.DEDUPE_WINDOW)));
  }

  /**
   * @param applicationId the pipeline's application id, live or a namespace's
   * @param stateDirectory the {@code state.dir} of its instances on this machine
   * @return the application as {@link PipelineAdmin} resets or deletes it, its internal topics
   *     those of the topology's stores and repartitions
   */
  public static PipelineAdmin.Application application(final String applicationId, final Path stateDirectory) {
    return new PipelineAdmin.Application(applicationId, OutpostTopology.INTERNAL_NAMES, stateDirectory);
  }

  private static Duration dedupeWindow(final String value) {
    return value.equals("0") ? Duration.ZERO : Durations.parse("dedupe.window", value);
  }

  /**
   * Refuses, before anything is created or started, a guarantee the pipeline cannot keep with
   * these settings: at least once with deduplication could lose an item after a crash (see {@link
   * StreamsSettings#requireSafeWith}).
   *
   * @param config the resolved configuration
   * @throws UserException naming both settings, where each came from, and what to change
   */
  public static void requireSafeGuarantee(final ResolvedConfig config) {
    try {
      streamsSettings(config).requireSafeWith(pipelineConfig(config));
    } catch (final IllegalArgumentException e) {
      throw new UserException(
          e.getMessage()
              + " (processing.guarantee from "
              + config.sources().get(Settings.PROCESSING_GUARANTEE.key())
              + ", dedupe.window from "
              + config.sources().get(Settings.DEDUPE_WINDOW.key())
              + ")",
          e);
    }
  }

  /**
   * @param config the resolved configuration
   * @return the replication factor given, or the profile's
   */
  public static int replicationFactor(final ResolvedConfig config) {
    final String given = config.get(Settings.REPLICATION_FACTOR);
    if (!given.isEmpty()) {
      return Integer.parseInt(given);
    }
    return "production".equals(config.get(Settings.PROFILE)) ? 3 : 1;
  }

  /**
   * @param config the resolved configuration
   * @return the standby replicas given, or the profile's: one in production, so a task's state is
   *     warm on another instance when its own goes away
   */
  public static int standbyReplicas(final ResolvedConfig config) {
    final String given = config.get(Settings.NUM_STANDBY_REPLICAS);
    if (!given.isEmpty()) {
      return Integer.parseInt(given);
    }
    return "production".equals(config.get(Settings.PROFILE)) ? 1 : 0;
  }

  /**
   * @param config the resolved configuration
   * @return the Kafka Streams settings that place tasks and standbys: standby replicas, and with
   *     a rack, rack-aware assignment (fetch from the rack's own replicas, standbys elsewhere)
   */
  static Map<String, Object> placement(final ResolvedConfig config) {
    final Map<String, Object> settings = new HashMap<>();
    settings.put("num.standby.replicas", standbyReplicas(config));
    final String rack = config.get(Settings.RACK);
    if (!rack.isEmpty()) {
      settings.put("consumer.client.rack", rack);
      settings.put("rack.aware.assignment.strategy", "balance_subtopology");
      settings.put("client.tag.rack", rack);
      settings.put("rack.aware.assignment.tags", "rack");
    }
    return settings;
  }

  /**
   * @param config the resolved configuration
   * @return how to run on the cluster; client settings from the file and the environment
   *     (security, timeouts) pass through to Kafka Streams and its clients
   */
  public static StreamsSettings streamsSettings(final ResolvedConfig config) {
    final Map<String, Object> overrides = new HashMap<>(config.kafkaProperties());
    overrides.remove("bootstrap.servers");
    overrides.putAll(placement(config));
    final int replicas = replicationFactor(config);
    if (replicas > 1) {
      // Kafka Streams' own topics (the dedupe changelog) as durable as the ones Outpost creates.
      overrides.putIfAbsent("topic.min.insync.replicas", Math.min(2, replicas));
    }
    return new StreamsSettings(
        config.get(Settings.APPLICATION_ID),
        config.get(Settings.BOOTSTRAP_SERVERS),
        config.get(Settings.PROCESSING_GUARANTEE),
        replicationFactor(config),
        Integer.parseInt(config.get(Settings.NUM_STREAM_THREADS)),
        Path.of(config.get(Settings.STATE_DIR)),
        overrides);
  }
}
