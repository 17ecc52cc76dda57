package dev.outpost.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How the pipeline runs on a cluster, as Kafka Streams settings: the application id, the
 * guarantee (exactly once by default), replication of its internal topics, threads and state, and
 * Outpost's error handlers wired to the dead-letter topic.
 *
 * @param applicationId the Kafka Streams application id: instances with the same id share the work
 * @param bootstrapServers the cluster
 * @param processingGuarantee {@code exactly_once_v2} (default) or {@code at_least_once}; the
 *     latter only without deduplication (see {@link #requireSafeWith})
 * @param replicationFactor of the internal topics (the dedupe store's changelog): 1 for a
 *     one-broker dev cluster, 3 in production
 * @param streamThreads stream threads in this instance
 * @param stateDirectory where local state (the dedupe store) lives
 * @param overrides any other Kafka Streams, consumer or producer settings, applied last
 */
public record StreamsSettings(
    String applicationId,
    String bootstrapServers,
    String processingGuarantee,
    int replicationFactor,
    int streamThreads,
    Path stateDirectory,
    Map<String, Object> overrides) {

  /** The application id unless one is given. */
  public static final String DEFAULT_APPLICATION_ID = "outpost-pipeline";

  /** The guarantee unless one is given. */
  public static final String DEFAULT_GUARANTEE = StreamsConfig.EXACTLY_ONCE_V2;

  /**
   * The commit interval, in milliseconds, under exactly-once unless the overrides give {@code
   * commit.interval.ms}. Exactly-once output becomes visible to read-committed subscribers only
   * when its transaction commits, so the interval (100 ms by Kafka Streams' default) is part of
   * every alert's latency; at least once keeps Kafka Streams' own default.
   */
  public static final long EXACTLY_ONCE_COMMIT_INTERVAL = 50L;

  /** Checks the settings Kafka Streams would otherwise reject later, with a vaguer message. */
  public StreamsSettings {
    if (applicationId == null || applicationId.isBlank()) {
      throw new IllegalArgumentException("The pipeline needs an application id");
    }
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("The pipeline needs bootstrap servers");
    }
    if (!StreamsConfig.EXACTLY_ONCE_V2.equals(processingGuarantee)
        && !StreamsConfig.AT_LEAST_ONCE.equals(processingGuarantee)) {
      throw new IllegalArgumentException(
          "Unknown processing guarantee '"
              + processingGuarantee
              + "': use "
              + StreamsConfig.EXACTLY_ONCE_V2
              + " or "
              + StreamsConfig.AT_LEAST_ONCE);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("Replication factor must be at least 1, got " + replicationFactor);
    }
    if (streamThreads < 1) {
      throw new IllegalArgumentException("Stream threads must be at least 1, got " + streamThreads);
    }
    Objects.requireNonNull(stateDirectory, "stateDirectory");
    overrides = Map.copyOf(overrides == null ? Map.of() : overrides);
  }

  /**
   * @return the guarantee Kafka Streams runs with: a {@code processing.guarantee} in the overrides
   *     wins over {@link #processingGuarantee()}, as in {@link #toProperties}
   */
  public String effectiveGuarantee() {
    final Object override = overrides.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
    return override == null ? processingGuarantee : override.toString();
  }

  /**
   * Refuses to run deduplication at least once. The dedupe step remembers an item's id in its
   * store before the item's results are written; at least once, the store's changelog and the
   * output topics are written by separate, non-atomic sends, so a crash can leave the id remembered
   * and the results unwritten. The item is then redelivered, taken for a repeat and lost. Writing
   * the results first would not help: they go to other partitions, which a crash can lose while the
   * changelog write survives. Only exactly-once commits both together.
   *
   * @param config the pipeline these settings would run
   * @throws IllegalArgumentException naming both settings and what to change, when the guarantee is
   *     at least once and the config deduplicates
   */
  public void requireSafeWith(final PipelineConfig config) {
    if (StreamsConfig.AT_LEAST_ONCE.equals(effectiveGuarantee()) && config.deduplicates()) {
      throw new IllegalArgumentException(
          "processing.guarantee="
              + StreamsConfig.AT_LEAST_ONCE
              + " cannot be used with deduplication (dedupe.window="
              + human(config.dedupeWindow())
              + "): at least once, an item can be remembered as seen while its results were never"
              + " written, and a crash then loses it. Use processing.guarantee="
              + StreamsConfig.EXACTLY_ONCE_V2
              + ", or set dedupe.window=0 to turn deduplication off (repeat deliveries then pass"
              + " through)");
    }
  }

  private static String human(final Duration d) {
    final long ms = d.toMillis();
    final long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L};
    final String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms % units[i] == 0) {
        return ms / units[i] + names[i];
      }
    }
    return ms + "ms";
  }

  /**
   * @param bootstrapServers the cluster
   * @param stateDirectory where local state lives
   * @return exactly-once settings for a one-broker dev cluster, one thread
   */
  public static StreamsSettings forDevCluster(final String bootstrapServers, final Path stateDirectory) {
    return new StreamsSettings(
        DEFAULT_APPLICATION_ID, bootstrapServers, DEFAULT_GUARANTEE, 1, 1, stateDirectory, Map.of());
  }

  /**
   * Settings for a cluster the pipeline shares with other instances: client settings (security,
   * timeouts) pass through to Kafka Streams and its clients, tasks keep warm standbys, and with a
   * rack, assignment is rack-aware.
   *
   * @param applicationId the Kafka Streams application id
   * @param bootstrapServers the cluster
   * @param processingGuarantee {@code exactly_once_v2} or {@code at_least_once}
   * @param replicationFactor of the internal topics; above one, their {@code min.insync.replicas}
   *     is min(2, replicationFactor) unless the client properties set one, so Kafka Streams' own
   *     topics (the dedupe changelog) are as durable as the ones Outpost creates
   * @param standbyReplicas copies of each task's state kept warm on other instances
   * @param rack this instance's rack or zone, as brokers name theirs in {@code broker.rack}, or
   *     empty for none: with one, the consumers fetch from the rack's own replicas and standbys
   *     go to other racks
   * @param streamThreads stream threads in this instance
   * @param stateDirectory where local state lives
   * @param clientProperties settings for every client; {@code bootstrap.servers} among them is
   *     left out in favour of {@code bootstrapServers}
   * @return the settings
   * @throws IllegalArgumentException as the constructor does
   */
  public static StreamsSettings forCluster(
      final String applicationId,
      final String bootstrapServers,
      final String processingGuarantee,
      final int replicationFactor,
      final int standbyReplicas,
      final String rack,
      final int streamThreads,
      final Path stateDirectory,
      final Map<String, Object> clientProperties) {
    final Map<String, Object> overrides = new HashMap<>(clientProperties);
    overrides.remove(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
    overrides.putAll(placement(standbyReplicas, rack));
    if (replicationFactor > 1) {
      overrides.putIfAbsent(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), Math.min(2, replicationFactor));
    }
    return new StreamsSettings(
        applicationId, bootstrapServers, processingGuarantee, replicationFactor, streamThreads, stateDirectory, overrides);
  }

  /**
   * @param standbyReplicas copies of each task's state on other instances
   * @param rack the instance's rack, or empty for none
   * @return the Kafka Streams settings that place tasks and standbys: standby replicas, and with
   *     a rack, rack-aware assignment (fetch from the rack's own replicas, standbys elsewhere)
   */
  static Map<String, Object> placement(final int standbyReplicas, final String rack) {
    final Map<String, Object> settings = new HashMap<>();
    settings.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
    if (!rack.isEmpty()) {
      settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.CLIENT_RACK_CONFIG), rack);
      settings.put(StreamsConfig.RACK_AWARE_ASSIGNMENT_STRATEGY_CONFIG, StreamsConfig.RACK_AWARE_ASSIGNMENT_STRATEGY_BALANCE_SUBTOPOLOGY);
      settings.put(StreamsConfig.CLIENT_TAG_PREFIX + "rack", rack);
      settings.put(StreamsConfig.RACK_AWARE_ASSIGNMENT_TAGS_CONFIG, "rack");
    }
    return settings;
  }

  /**
   * @param id another application id
   * @return these settings with it
   */
  public StreamsSettings withApplicationId(final String id) {
    return new StreamsSettings(
        id, bootstrapServers, processingGuarantee, replicationFactor, streamThreads, stateDirectory, overrides);
  }

  /**
   * @param namespace a replay's or experiment's namespace
   * @return these settings for the pipeline in that namespace: the application id suffixed with
   *     {@code .namespace}, so its group, internal topics and state stay apart from the live one's;
   *     the counterpart of {@link PipelineConfig#inNamespace}
   */
  public StreamsSettings inNamespace(final String namespace) {
    return withApplicationId(applicationId + "." + dev.outpost.model.Topics.requireNamespace(namespace));
  }

  /**
   * @param extra settings to add to the overrides
   * @return these settings with them
   */
  public StreamsSettings withOverrides(final Map<String, Object> extra) {
    final Map<String, Object> all = new HashMap<>(overrides);
    all.putAll(extra);
    return new StreamsSettings(
        applicationId, bootstrapServers, processingGuarantee, replicationFactor, streamThreads, stateDirectory, all);
  }

  /**
   * @param config the pipeline's topics, for the dead-letter topic
   * @param metrics what the error handlers count into
   * @return the Kafka Streams properties; under exactly-once, {@code commit.interval.ms} is {@link
   *     #EXACTLY_ONCE_COMMIT_INTERVAL} unless the overrides set it, and {@code max.task.idle.ms} is
   *     disabled unless they set it
   */
  public Properties toProperties(final PipelineConfig config, final PipelineMetrics metrics) {
    final Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class.getName());
    p.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProcessingHandler.class.getName());
    p.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProductionHandler.class.getName());
    // The topology has no global tables; this only states the behaviour Kafka 5.0 makes default
    // and keeps Kafka from warning about it on every start. (The constant is deprecated already.)
    p.put("processing.exception.handler.global.enabled", true);
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.deadLetterTopic());
    // Every task of the topology reads one partition (of the input topic, or of the story step's
    // repartition), so there is never another partition to wait for before processing in time
    // order. Waiting on is not free: while it is on, Kafka Streams formats a log line for each
    // empty partition each time it asks whether a task can process (3 to 5% of a stream thread
    // in a bench profile). OutpostTopologyTest holds the topology to one source topic per
    // sub-topology; an override still wins.
    p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    p.put(DeadLetters.METRICS_CONFIG, metrics);
    if (StreamsConfig.EXACTLY_ONCE_V2.equals(effectiveGuarantee())) {
      // A commit.interval.ms among the overrides (the config file, OUTPOST_COMMIT_INTERVAL_MS)
      // replaces this when they are applied below.
      p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, EXACTLY_ONCE_COMMIT_INTERVAL);
    }
    p.putAll(overrides);
    return p;
  }
}
