package dev.outpost.cli;

import dev.outpost.cli.config.Durations;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.config.Settings;
import dev.outpost.topology.PipelineConfig;
import dev.outpost.topology.StreamsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options of the pipeline itself. Each can also come from an {@code OUTPOST_*} environment
 * variable or the {@code --config} file, under the key its description names; the resolved
 * configuration becomes the topology's settings here.
 */
public final class PipelineOptions {

  @Option(
      names = "--application-id",
      paramLabel = "ID",
      description = "Kafka Streams application id; instances with the same id share the work. Key application.id. Default: outpost-pipeline.")
  private String applicationId;

  @Option(
      names = "--processing-guarantee",
      paramLabel = "GUARANTEE",
      description = "exactly_once_v2 or at_least_once (only with --dedupe-window 0). Key processing.guarantee. Default: exactly_once_v2.")
  private String processingGuarantee;

  @Option(
      names = "--profile",
      paramLabel = "PROFILE",
      description = "dev: replication factor 1, for a one-broker cluster; production: 3. Key profile. Default: dev.")
  private String profile;

  @Option(
      names = "--replication-factor",
      paramLabel = "N",
      description = "Replicas of the topics Outpost creates and of its internal topics. Key replication.factor. Default: the profile's.")
  private String replicationFactor;

  @Option(
      names = "--num-stream-threads",
      paramLabel = "N",
      description = "Stream threads in this instance. Key num.stream.threads. Default: 1.")
  private String streamThreads;

  @Option(
      names = "--num-standby-replicas",
      paramLabel = "N",
      description = "Standby copies of each task's state on other instances. Key num.standby.replicas. Default: the profile's (dev 0, production 1).")
  private String standbyReplicas;

  @Option(
      names = "--rack",
      paramLabel = "RACK",
      description = "The rack or zone of this instance, as brokers name theirs in broker.rack: rack-aware assignment. Key rack.")
  private String rack;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "Local state (the store of item ids seen). Key state.dir. Default: .outpost/state.")
  private String stateDir;

  @Option(
      names = "--max-title-bytes",
      paramLabel = "N",
      description = "Longer titles are dead-lettered. Key max.title.bytes. Default: 2048.")
  private String maxTitleBytes;

  @Option(
      names = "--max-body-bytes",
      paramLabel = "N",
      description = "Longer bodies are dead-lettered. Key max.body.bytes. Default: 1048576.")
  private String maxBodyBytes;

  @Option(
      names = "--dedupe-window",
      paramLabel = "DURATION",
      description = "Repeats of an item id within this window are dropped (12h, 7d); 0 turns deduplication off. Key dedupe.window. Default: 7d.")
  private String dedupeWindow;

  /** @return the values given as flags, by setting key */
  Map<String, String> flags() {
    final Map<String, String> flags = new HashMap<>();
    flags.put(Settings.APPLICATION_ID.key(), applicationId);
    flags.put(Settings.PROCESSING_GUARANTEE.key(), processingGuarantee);
    flags.put(Settings.PROFILE.key(), profile);
    flags.put(Settings.REPLICATION_FACTOR.key(), replicationFactor);
    flags.put(Settings.NUM_STREAM_THREADS.key(), streamThreads);
    flags.put(Settings.NUM_STANDBY_REPLICAS.key(), standbyReplicas);
    flags.put(Settings.RACK.key(), rack);
    flags.put(Settings.STATE_DIR.key(), stateDir);
    flags.put(Settings.MAX_TITLE_BYTES.key(), maxTitleBytes);
    flags.put(Settings.MAX_BODY_BYTES.key(), maxBodyBytes);
    flags.put(Settings.DEDUPE_WINDOW.key(), dedupeWindow);
    return flags;
  }

  /**
   * @param config the resolved configuration
   * @return the catalog's topics with the configured limits
   */
  static PipelineConfig pipelineConfig(final ResolvedConfig config) {
    final String window = config.get(Settings.DEDUPE_WINDOW);
    return PipelineConfig.defaults()
        .withLimits(
            Integer.parseInt(config.get(Settings.MAX_TITLE_BYTES)),
            Integer.parseInt(config.get(Settings.MAX_BODY_BYTES)))
        .withDedupeWindow(window.equals("0") ? Duration.ZERO : Durations.parse("dedupe.window", window));
  }

  /**
   * Refuses, before anything is created or started, a guarantee the pipeline cannot keep with
   * these settings: at least once with deduplication could lose an item after a crash (see {@link
   * StreamsSettings#requireSafeWith}).
   *
   * @param config the resolved configuration
   * @throws UserException naming both settings, where each came from, and what to change
   */
  static void requireSafeGuarantee(final ResolvedConfig config) {
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
   * @return how to run on the cluster ({@link StreamsSettings#forCluster}): replicas and standbys
   *     given, or the profile's (production: 3 replicas, and one standby so a task's state is warm
   *     on another instance when its own goes away; dev: 1 and none); client settings from the
   *     file and the environment pass through
   */
  static StreamsSettings streamsSettings(final ResolvedConfig config) {
    final boolean production = "production".equals(config.get(Settings.PROFILE));
    return StreamsSettings.forCluster(
        config.get(Settings.APPLICATION_ID),
        config.get(Settings.BOOTSTRAP_SERVERS),
        config.get(Settings.PROCESSING_GUARANTEE),
        intOr(config.get(Settings.REPLICATION_FACTOR), production ? 3 : 1),
        intOr(config.get(Settings.NUM_STANDBY_REPLICAS), production ? 1 : 0),
        config.get(Settings.RACK),
        Integer.parseInt(config.get(Settings.NUM_STREAM_THREADS)),
        Path.of(config.get(Settings.STATE_DIR)),
        config.kafkaProperties());
  }

  private static int intOr(final String given, final int otherwise) {
    return given.isEmpty() ? otherwise : Integer.parseInt(given);
  }
}
