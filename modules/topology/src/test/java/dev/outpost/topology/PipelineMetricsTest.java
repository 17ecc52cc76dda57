package dev.outpost.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.model.Category;
import org.junit.jupiter.api.Test;

/** The pipeline's counts as a long-running command prints them, without Kafka. */
class PipelineMetricsTest {

  @Test
  void statusLineNamesEveryCountAndEachCategory() {
    try (PipelineMetrics metrics = new PipelineMetrics("pipeline-metrics-test-" + System.nanoTime())) {
      metrics.item();
      metrics.item();
      metrics.item();
      metrics.classified(10);
      metrics.classified(10);
      metrics.duplicate();
      metrics.alert(Category.PARADE);
      metrics.deadLetter(DeadLetterReason.TRUNCATED_HEADER);

      assertThat(metrics.statusLine())
          .startsWith("Items 3, classified 2, alerts [")
          .contains("parade 1")
          .contains("military_exercise 0")
          .endsWith("], duplicates dropped 1, dead letters 1");
    }
  }
}
