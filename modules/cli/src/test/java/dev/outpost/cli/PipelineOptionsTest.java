package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.cli.config.ConfigLoader;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.topology.PipelineConfig;
import dev.outpost.topology.PipelineMetrics;
import dev.outpost.topology.StreamsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profile's replicas and standbys, and the values given winning over them; the commit
 * interval under exactly-once, and one given in the environment or the config file winning over it. How the settings
 * become Kafka Streams properties is {@code StreamsSettingsTest}'s, in the topology module.
 */
class PipelineOptionsTest {

  private static ResolvedConfig config(final Map<String, String> env) {
    final Map<String, String> flags = new HashMap<>();
    flags.put("bootstrap.servers", "broker:9092");
    return ConfigLoader.load(flags, Optional.empty(), env);
  }

  private static Properties streams(final ResolvedConfig config) {
    return PipelineOptions.streamsSettings(config).toProperties(PipelineConfig.defaults(), new PipelineMetrics("test"));
  }

  @Test
  void theDevProfileKeepsOneCopyAndNoStandby() {
    final Properties p = streams(config(Map.of()));

    assertThat(p).containsEntry("replication.factor", 1).containsEntry("num.standby.replicas", 0);
    assertThat(p).doesNotContainKey("consumer.client.rack").doesNotContainKey("topic.min.insync.replicas");
  }

  @Test
  void theProductionProfileReplicatesThreeTimesWithOneStandby() {
    final Properties p = streams(config(Map.of("OUTPOST_PROFILE", "production")));

    assertThat(p).containsEntry("replication.factor", 3).containsEntry("num.standby.replicas", 1).containsEntry("topic.min.insync.replicas", 2);
  }

  @Test
  void givenValuesWinOverTheProfile() {
    final Properties p =
        streams(config(Map.of("OUTPOST_PROFILE", "production", "OUTPOST_NUM_STANDBY_REPLICAS", "2", "OUTPOST_REPLICATION_FACTOR", "5")));

    assertThat(p).containsEntry("replication.factor", 5).containsEntry("num.standby.replicas", 2);
  }

  @Test
  void exactlyOnceCommitsEveryFiftyMillisecondsUnlessTheEnvironmentOrTheConfigFileSaysOtherwise(@TempDir final Path dir)
      throws IOException {
    assertThat(streams(config(Map.of()))).containsEntry("commit.interval.ms", StreamsSettings.EXACTLY_ONCE_COMMIT_INTERVAL);
    assertThat(streams(config(Map.of("OUTPOST_PROCESSING_GUARANTEE", "at_least_once", "OUTPOST_DEDUPE_WINDOW", "0"))))
        .doesNotContainKey("commit.interval.ms");

    assertThat(streams(config(Map.of("OUTPOST_COMMIT_INTERVAL_MS", "200")))).containsEntry("commit.interval.ms", "200");

    final Path file = dir.resolve("outpost.properties");
    Files.writeString(file, "commit.interval.ms=75\n");
    final Map<String, String> flags = new HashMap<>();
    flags.put("bootstrap.servers", "broker:9092");
    assertThat(streams(ConfigLoader.load(flags, Optional.of(file), Map.of()))).containsEntry("commit.interval.ms", "75");
  }
}
