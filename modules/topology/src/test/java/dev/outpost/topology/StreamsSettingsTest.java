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
import java.util.UUID;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guarantee a pipeline may run with, checked before anything is started. */
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
}
