package dev.outpost.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.classifier.Classifier;
import dev.outpost.registry.InMemorySchemaRegistryClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guarantee a pipeline may run with, checked before anything is started; and the settings for
 * a shared cluster: client settings, standbys, rack-aware assignment and the internal topics' ISR.
 */
class StreamsSettingsTest {

  @TempDir Path state;

  private StreamsSettings atLeastOnce() {
    return new StreamsSettings(
        "app", "127.0.0.1:1", StreamsConfig.AT_LEAST_ONCE, 1, 1, state, Map.of());
  }

  @Test
  void atLeastOnceWithDeduplicationIsRefusedNamingBothSettingsAndTheFix() {
    assertThatThrownBy(() -> atLeastOnce().requireSafeWith(PipelineConfig.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("processing.guarantee=at_least_once cannot be used with deduplication")
        .hasMessageContaining("(dedupe.window=7d)")
        .hasMessageContaining("a crash then loses it")
        .hasMessageContaining("Use processing.guarantee=exactly_once_v2")
        .hasMessageContaining("set dedupe.window=0 to turn deduplication off");
  }

  @Test
  void anAtLeastOnceOverrideIsRefusedToo() {
    final StreamsSettings overridden =
        StreamsSettings.forDevCluster("127.0.0.1:1", state)
            .withOverrides(Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE));

    assertThat(overridden.effectiveGuarantee()).isEqualTo(StreamsConfig.AT_LEAST_ONCE);
    assertThatThrownBy(() -> overridden.requireSafeWith(PipelineConfig.defaults().withDedupeWindow(Duration.ofHours(12))))
        .hasMessageContaining("processing.guarantee=at_least_once")
        .hasMessageContaining("(dedupe.window=12h)");
  }

  @Test
  void thePipelineRefusesToStartAtLeastOnceWithDeduplication() {
    final PipelineMetrics metrics = new PipelineMetrics("refused-" + UUID.randomUUID());
    try {
      assertThatThrownBy(
              () ->
                  Pipeline.start(
                      PipelineConfig.defaults(),
                      atLeastOnce(),
                      Classifier.withDefaultRules(),
                      PipelineSerdes.using(new InMemorySchemaRegistryClient(), Map.of()),
                      metrics,
                      Clock.systemUTC()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("processing.guarantee=at_least_once cannot be used with deduplication");
    } finally {
      metrics.close();
    }
  }

  @Test
  void exactlyOnceWithDeduplicationAndAtLeastOnceWithoutItAreAccepted() {
    assertThatCode(
            () -> StreamsSettings.forDevCluster("127.0.0.1:1", state).requireSafeWith(PipelineConfig.defaults()))
        .doesNotThrowAnyException();
    assertThatCode(() -> atLeastOnce().requireSafeWith(PipelineConfig.defaults().withDedupeWindow(Duration.ZERO)))
        .doesNotThrowAnyException();
  }

  @Test
  void aNegativeDedupeWindowIsRefused() {
    assertThatThrownBy(() -> PipelineConfig.defaults().withDedupeWindow(Duration.ofHours(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dedupe window must be positive, or zero for none");
  }

  private Properties onCluster(final int replicas, final String rack, final Map<String, Object> clientProperties) {
    try (PipelineMetrics metrics = new PipelineMetrics("cluster-" + UUID.randomUUID())) {
      return StreamsSettings.forCluster(
              "app", "broker:9092", StreamsConfig.EXACTLY_ONCE_V2, replicas, 1, rack, 2, state, clientProperties)
          .toProperties(PipelineConfig.defaults(), metrics);
    }
  }

  @Test
  void clientSettingsPassThroughAndTheBootstrapServersGivenWin() {
    final Properties p = onCluster(1, "", Map.of("bootstrap.servers", "elsewhere:9092", "security.protocol", "SSL"));

    assertThat(p)
        .containsEntry("bootstrap.servers", "broker:9092")
        .containsEntry("security.protocol", "SSL")
        .containsEntry("num.standby.replicas", 1)
        .containsEntry("num.stream.threads", 2);
    assertThat(p).doesNotContainKey("consumer.client.rack").doesNotContainKey("topic.min.insync.replicas");
  }

  @Test
  void aRackMakesAssignmentRackAware() {
    final Properties p = onCluster(1, "zone-b", Map.of());

    assertThat(p)
        .containsEntry("consumer.client.rack", "zone-b")
        .containsEntry("rack.aware.assignment.strategy", "balance_subtopology")
        .containsEntry("client.tag.rack", "zone-b")
        .containsEntry("rack.aware.assignment.tags", "rack");
  }

  @Test
  void replicatedInternalTopicsNeedTwoInSyncReplicasUnlessTheClientSettingsSayOtherwise() {
    assertThat(onCluster(3, "", Map.of())).containsEntry("replication.factor", 3).containsEntry("topic.min.insync.replicas", 2);
    assertThat(onCluster(2, "", Map.of())).containsEntry("topic.min.insync.replicas", 2);
    assertThat(onCluster(3, "", Map.of("topic.min.insync.replicas", 1))).containsEntry("topic.min.insync.replicas", 1);
  }

  private Properties properties(final StreamsSettings settings) {
    try (PipelineMetrics metrics = new PipelineMetrics("commit-" + UUID.randomUUID())) {
      return settings.toProperties(PipelineConfig.defaults(), metrics);
    }
  }

  @Test
  void exactlyOnceCommitsEveryFiftyMillisecondsByDefault() {
    assertThat(StreamsSettings.EXACTLY_ONCE_COMMIT_INTERVAL).isLessThan(100L);
    assertThat(properties(StreamsSettings.forDevCluster("127.0.0.1:1", state)))
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, StreamsSettings.EXACTLY_ONCE_COMMIT_INTERVAL);
    assertThat(onCluster(1, "", Map.of()))
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, StreamsSettings.EXACTLY_ONCE_COMMIT_INTERVAL);
  }

  @Test
  void atLeastOnceKeepsKafkaStreamsOwnCommitInterval() {
    assertThat(properties(atLeastOnce())).doesNotContainKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    assertThat(
            properties(
                StreamsSettings.forDevCluster("127.0.0.1:1", state)
                    .withOverrides(Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE))))
        .doesNotContainKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
  }

  @Test
  void aCommitIntervalTheUserGaveWins() {
    // As the config file or OUTPOST_COMMIT_INTERVAL_MS hands it over: a string among the client
    // settings.
    assertThat(onCluster(1, "", Map.of("commit.interval.ms", "250")))
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "250");
    assertThat(
            properties(
                StreamsSettings.forDevCluster("127.0.0.1:1", state)
                    .withOverrides(Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000L))))
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000L);
  }

  @Test
  void kafkaStreamsAcceptsTheCommitInterval() {
    final StreamsConfig config = new StreamsConfig(properties(StreamsSettings.forDevCluster("127.0.0.1:1", state)));
    assertThat(config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(StreamsSettings.EXACTLY_ONCE_COMMIT_INTERVAL);
  }

  @Test
  void tasksDoNotIdleWaitingForOtherPartitionsUnlessTheUserSaysSo() {
    assertThat(properties(StreamsSettings.forDevCluster("127.0.0.1:1", state)))
        .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    assertThat(properties(atLeastOnce())).containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    assertThat(onCluster(1, "", Map.of("max.task.idle.ms", "500"))).containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "500");
    final StreamsConfig config = new StreamsConfig(properties(StreamsSettings.forDevCluster("127.0.0.1:1", state)));
    assertThat(config.getLong(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo(-1L);
  }
}
