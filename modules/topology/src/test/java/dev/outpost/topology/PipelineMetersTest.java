package dev.outpost.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pipeline's counts as Prometheus metrics and as the dashboard's summary, without Kafka. */
class PipelineMetersTest {

  @Test
  void itemsInALanguageOutpostDoesNotReadAreCountedPerLanguageInMetricsAndSummary() {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (PipelineMetrics metrics = new PipelineMetrics("pipeline-meters-test-" + System.nanoTime());
        PipelineMeters.AlertRate rate = new PipelineMeters.AlertRate(metrics, Clock.systemUTC())) {
      metrics.unsupportedLanguage("it");
      PipelineMeters.bind(registry, metrics);
      metrics.unsupportedLanguage("nl");
      metrics.unsupportedLanguage("it");

      // A language counted before the registry was bound, and one first seen after, both show.
      assertThat(registry.scrape())
          .contains("outpost_unsupported_language_total{language=\"it\"} 2.0")
          .contains("outpost_unsupported_language_total{language=\"nl\"} 1.0");
      final Map<String, Object> summary = PipelineMeters.summary(metrics, rate);
      assertThat(summary).containsEntry("unsupportedLanguage", 3L);
      assertThat(summary).containsEntry("unsupportedLanguages", Map.of("it", 2L, "nl", 1L));
    } finally {
      registry.close();
    }
  }
}
