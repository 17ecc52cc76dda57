package dev.outpost.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.outpost.ops.lag.GroupLag;
import dev.outpost.ops.lag.LagMonitor;
import dev.outpost.ops.lag.PartitionLag;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The ops server's own endpoints: {@code /metrics} in Prometheus text format, {@code /api/lag} and
 * {@code /api/summary} as JSON, {@code /health} (liveness), {@code /health/ready} (readiness), and
 * the dashboard at {@code /}; with {@link OpsWiring}, also {@code /api/lag/history} and {@code
 * /api/dead-letters}.
 */
public final class OpsEndpoints {

  /**
   * Whether the process is ready for work, and why.
   *
   * @param ready ready or not
   * @param detail what decides it, such as the Kafka Streams state
   */
  public record Readiness(boolean ready, String detail) {}

  /** Prometheus text format; what a scrape job or ServiceMonitor points at. */
  public static final String METRICS_PATH = "/metrics";

  /** Liveness: 200 while the process answers. Never behind the ops token. */
  public static final String HEALTH_PATH = "/health";

  /** Readiness: 200 while the process is ready for work, else 503. Never behind the ops token. */
  public static final String READY_PATH = "/health/ready";

  /** Consumer lag of every group watched, as JSON. */
  public static final String LAG_PATH = "/api/lag";

  /** What the dashboard shows beside lag, as JSON. */
  public static final String SUMMARY_PATH = "/api/summary";

  /** The last samples of each group's lag, for trend lines, as JSON. */
  public static final String LAG_HISTORY_PATH = "/api/lag/history";

  /** Dead letters by reason, counted from the dead-letter topics, as JSON. */
  public static final String DEAD_LETTERS_PATH = "/api/dead-letters";

  private static final ObjectMapper JSON = new ObjectMapper();

  private OpsEndpoints() {}

  /**
   * Adds the endpoints to a server.
   *
   * @param server the ops server
   * @param registry the process's metrics
   * @param lag the lag monitor, or null when the process watches no lag
   * @param readiness what {@code /health/ready} reports
   * @param summary what {@code /api/summary} reports, for the dashboard
   */
  public static void install(
      final OpsServer server,
      final PrometheusMeterRegistry registry,
      final LagMonitor lag,
      final Supplier<Readiness> readiness,
      final Supplier<Map<String, Object>> summary) {
    final MultiGauge lagRecords =
        MultiGauge.builder("outpost.consumer.lag.records").description("Records behind, per group and partition").register(registry);
    final MultiGauge lagSeconds =
        MultiGauge.builder("outpost.consumer.lag.seconds").description("Age of the record at the committed position").register(registry);
    final MultiGauge lagStatus =
        MultiGauge.builder("outpost.consumer.lag.status")
            .description("Lag status per group: 0 OK, 1 WARNING, 2 STALL, 3 STOP, 4 REWIND, 5 ERROR")
            .register(registry);
    server.route(
        METRICS_PATH,
        exchange -> {
          if (lag != null) {
            final List<MultiGauge.Row<?>> records = new ArrayList<>();
            final List<MultiGauge.Row<?>> seconds = new ArrayList<>();
            final List<MultiGauge.Row<?>> status = new ArrayList<>();
            for (final GroupLag g : lag.latest()) {
              status.add(MultiGauge.Row.of(Tags.of("group", g.group()), g.status().severity()));
              for (final PartitionLag p : g.partitions()) {
                final Tags tags =
                    Tags.of("group", g.group(), "topic", p.topic(), "partition", Integer.toString(p.partition()));
                records.add(MultiGauge.Row.of(tags, p.lagRecords()));
                seconds.add(MultiGauge.Row.of(tags, p.lagSeconds()));
              }
            }
            lagRecords.register(records, true);
            lagSeconds.register(seconds, true);
            lagStatus.register(status, true);
          }
          send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
        });
    server.route(
        LAG_PATH,
        exchange -> send(exchange, 200, "application/json", JSON.writeValueAsString(lag == null ? List.of() : lag.latest())));
    server.route(
        READY_PATH,
        exchange -> {
          final Readiness r = readiness.get();
          send(
              exchange,
              r.ready() ? 200 : 503,
              "application/json",
              JSON.writeValueAsString(Map.of("ready", r.ready(), "detail", r.detail())));
        });
    server.route(HEALTH_PATH, new Live());
    server.route(SUMMARY_PATH, exchange -> send(exchange, 200, "application/json", JSON.writeValueAsString(summary.get())));
    server.route("/", new Dashboard());
  }

  /**
   * Adds {@link #LAG_HISTORY_PATH}: each group's samples, oldest first, as {@code {"group":
   * [{"timeMs":..,"lagRecords":..,"lagSeconds":..,"status":".."}, ...]}}.
   *
   * @param server the ops server
   * @param history the samples kept
   */
  public static void installLagHistory(final OpsServer server, final LagHistory history) {
    server.route(LAG_HISTORY_PATH, exchange -> send(exchange, 200, "application/json", JSON.writeValueAsString(history.points())));
  }

  /**
   * Adds {@link #DEAD_LETTERS_PATH}: {@code read} (false until every dead-letter topic was read
   * once), {@code total}, {@code byReason}, {@code byTopic} (each topic's counts per reason),
   * {@code readAt} and {@code error} (why the last reading failed, or null).
   *
   * @param server the ops server
   * @param counts what has been counted so far
   */
  public static void installDeadLetters(final OpsServer server, final Supplier<DeadLetterCounts.Snapshot> counts) {
    server.route(
        DEAD_LETTERS_PATH,
        exchange -> {
          final DeadLetterCounts.Snapshot s = counts.get();
          final Map<String, Object> body = new java.util.LinkedHashMap<>();
          body.put("read", s.read());
          body.put("total", s.total());
          body.put("byReason", s.byReason());
          body.put("byTopic", s.byTopic());
          body.put("readAt", s.readAtMs() == 0 ? null : java.time.Instant.ofEpochMilli(s.readAtMs()).toString());
          body.put("error", s.error());
          send(exchange, 200, "application/json", JSON.writeValueAsString(body));
        });
  }

  /** Liveness: the process answers. {@code /health/...} paths other than ready are not found. */
  private static final class Live implements HttpHandler {
    @Override
    public void handle(final HttpExchange exchange) throws IOException {
      if (!exchange.getRequestURI().getPath().equals(HEALTH_PATH)) {
        send(exchange, 404, "text/plain", "not found");
        return;
      }
      send(exchange, 200, "application/json", "{\"status\":\"UP\"}");
    }
  }

  private static void send(final HttpExchange exchange, final int status, final String type, final String body)
      throws IOException {
    final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
