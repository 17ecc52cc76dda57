package dev.outpost.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The process's meters, readiness and summary on the ops server, and what closes with it. The lag
 * monitor points at a port nothing listens on: it samples in the background and reports no group.
 */
class OpsWiringTest {

  private static final Map<String, Object> NO_CLUSTER =
      Map.of("bootstrap.servers", "127.0.0.1:1", "request.timeout.ms", 1000, "default.api.timeout.ms", 1000);

  private static HttpResponse<String> get(final OpsServer server, final String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theProcesssMetersReadinessAndSummaryAreServedAndItsResourcesClosedFirst() throws Exception {
    final AtomicBoolean ready = new AtomicBoolean();
    final AtomicBoolean closed = new AtomicBoolean();
    try (OpsServer server = OpsServer.start("127.0.0.1", 0, false)) {
      final OpsWiring wiring =
          OpsWiring.on(server, NO_CLUSTER, Clock.systemUTC())
              .meters(registry -> Counter.builder("outpost.test.things").register(registry).increment(3))
              .readiness(() -> new OpsEndpoints.Readiness(ready.get(), "test " + (ready.get() ? "up" : "starting")))
              .summary(() -> Map.of("items", 7))
              .closing(() -> closed.set(true))
              .install();
      try {
        assertThat(get(server, OpsEndpoints.METRICS_PATH).body()).contains("outpost_test_things_total 3.0");
        assertThat(get(server, OpsEndpoints.SUMMARY_PATH).body()).isEqualTo("{\"items\":7}");
        assertThat(get(server, OpsEndpoints.LAG_PATH).body()).isEqualTo("[]");
        assertThat(get(server, OpsEndpoints.LAG_HISTORY_PATH).body()).isEqualTo("{}");
        assertThat(get(server, OpsEndpoints.DEAD_LETTERS_PATH).statusCode()).as("dead letters are counted only when asked").isEqualTo(404);
        final HttpResponse<String> starting = get(server, OpsEndpoints.READY_PATH);
        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(starting.body()).contains("test starting");
        ready.set(true);
        assertThat(get(server, OpsEndpoints.READY_PATH).statusCode()).isEqualTo(200);
      } finally {
        wiring.close();
      }
      assertThat(closed).isTrue();
    }
  }

  @Test
  void onlyTheGroupsGivenAreSampledAndAReadinessFromLagSeesTheirLastSample() throws Exception {
    try (OpsServer server = OpsServer.start("127.0.0.1", 0, false)) {
      final OpsWiring wiring =
          OpsWiring.on(server, NO_CLUSTER, Clock.systemUTC())
              .groups(List.of("watched"))
              .readinessFromLag(lags -> new OpsEndpoints.Readiness(!lags.isEmpty(), "lag sampled for " + lags.size() + " group(s)"))
              .install();
      try {
        // The cluster is unreachable: the one group watched is sampled all the same, in error,
        // and no other group is listed.
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  final HttpResponse<String> ready = get(server, OpsEndpoints.READY_PATH);
                  assertThat(ready.statusCode()).isEqualTo(200);
                  assertThat(ready.body()).contains("lag sampled for 1 group(s)");
                });
        assertThat(get(server, OpsEndpoints.LAG_PATH).body()).contains("\"watched\"").contains("ERROR");
      } finally {
        wiring.close();
      }
    }
  }

  @Test
  void withoutAReadinessNothingIsInstalled() {
    try (OpsServer server = OpsServer.start("127.0.0.1", 0, false)) {
      assertThatThrownBy(() -> OpsWiring.on(server, NO_CLUSTER, Clock.systemUTC()).install())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("/health/ready");
    }
  }
}
