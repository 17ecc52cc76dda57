package dev.outpost.cli;

import dev.outpost.cli.config.Settings;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options of the pipeline itself. Each can also come from an {@code OUTPOST_*} environment
 * variable or the {@code --config} file, under the key its description names.
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
      description = "Repeats of an item id within this window are dropped (12h, 7d, P7D); 0 turns deduplication off. Key dedupe.window. Default: 7d.")
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
}
