package dev.outpost.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard in deploy/ reads only series Outpost publishes: every {@code outpost_*}
 * name in its queries is one the ops server's /metrics carries.
 */
class GrafanaDashboardTest {

  private static final List<String> PUBLISHED =
      List.of(
          "outpost_alerts_total", "outpost_items_total", "outpost_classified_total", "outpost_dead_letters_total",
          "outpost_classification_seconds_sum", "outpost_classification_seconds_count", "outpost_consumer_lag_records",
          "outpost_consumer_lag_seconds", "outpost_consumer_lag_status", "outpost_duplicates_total",
          "outpost_event_time_fallbacks_total");

  @Test
  void everyQueryNamesAPublishedSeries() throws Exception {
    final JsonNode dashboard =
        new ObjectMapper().readTree(Files.readString(Path.of("../../deploy/grafana/outpost-dashboard.json")));
    final List<String> used = new ArrayList<>();
    for (final JsonNode panel : dashboard.get("panels")) {
      for (final JsonNode target : panel.get("targets")) {
        final Matcher m = Pattern.compile("outpost_[a-z_]+").matcher(target.get("expr").asText());
        while (m.find()) {
          used.add(m.group());
        }
      }
    }
    assertThat(used).isNotEmpty();
    assertThat(PUBLISHED).containsAll(used);
    assertThat(dashboard.get("title").asText()).isEqualTo("Outpost");
  }
}
