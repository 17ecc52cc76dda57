package dev.outpost.cli.internal;

import dev.outpost.model.Category;
import dev.outpost.ops.OpsEndpoints;
import dev.outpost.ops.OpsServer;
import dev.outpost.ops.lag.LagMonitor;
import dev.outpost.ops.lag.StatusRules;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.subscribers.AlertStream;
import dev.outpost.topology.DeadLetterReason;
import dev.outpost.topology.Pipeline;
import dev.outpost.topology.PipelineMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Puts a running pipeline on the ops server: the alert stream, Prometheus metrics (the pipeline's
 * counts, classification time, Kafka Streams' own metrics, consumer lag), lag as JSON, and health.
 */
public final class OpsWiring implements AutoCloseable {

  private final LagMonitor lag;
  private final KafkaStreamsMetrics streamsMetrics;
  private final PrometheusMeterRegistry registry;

  private OpsWiring(final LagMonitor lag, final KafkaStreamsMetrics streamsMetrics, final PrometheusMeterRegistry registry) {
    this.lag = lag;
    this.streamsMetrics = streamsMetrics;
    this.registry = registry;
  }

  /**
   * @param server the ops server
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param schemaRegistry where the alert schema is
   * @param pipeline the running pipeline
   * @param clock the time lag is sampled at
   * @return what to close when the process stops
   */
  public static OpsWiring install(
      final OpsServer server,
      final Map<String, Object> kafkaProperties,
      final SchemaRegistryClient schemaRegistry,
      final Pipeline pipeline,
      final Clock clock) {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    bind(registry, pipeline.metrics());
    final KafkaStreamsMetrics streams = new KafkaStreamsMetrics(pipeline.streams());
    streams.bindTo(registry);
    final LagMonitor lag = new LagMonitor(kafkaProperties, StatusRules.DEFAULT, clock);
    lag.startSampling(Duration.ofSeconds(5), List.of());
    server.route("/alerts/stream", new AlertStream(kafkaProperties, schemaRegistry, 64));
    OpsEndpoints.install(
        server,
        registry,
        lag,
        () -> {
          final KafkaStreams.State state = pipeline.streams().state();
          return new OpsEndpoints.Readiness(state == KafkaStreams.State.RUNNING, "kafka streams " + state);
        });
    return new OpsWiring(lag, streams, registry);
  }

  private static void bind(final PrometheusMeterRegistry registry, final PipelineMetrics m) {
    FunctionCounter.builder("outpost.items", m, PipelineMetrics::items).description("News items read").register(registry);
    FunctionCounter.builder("outpost.classified", m, PipelineMetrics::classifiedItems).description("Items classified").register(registry);
    FunctionCounter.builder("outpost.duplicates", m, PipelineMetrics::duplicates).description("Repeat deliveries dropped").register(registry);
    FunctionCounter.builder("outpost.event.time.fallbacks", m, PipelineMetrics::timestampFallbacks)
        .description("Items timed by their record timestamp")
        .register(registry);
    for (final Category c : Category.values()) {
      FunctionCounter.builder("outpost.alerts", m, x -> x.alerts(c))
          .tag("category", c.name().toLowerCase(Locale.ROOT))
          .description("Alerts written, by category")
          .register(registry);
    }
    for (final DeadLetterReason r : DeadLetterReason.values()) {
      FunctionCounter.builder("outpost.dead.letters", m, x -> x.deadLetters(r))
          .tag("reason", r.tag())
          .description("Records dead-lettered, by reason")
          .register(registry);
    }
    FunctionTimer.builder(
            "outpost.classification", m, PipelineMetrics::classifiedItems, PipelineMetrics::classificationNanos, TimeUnit.NANOSECONDS)
        .description("Time in the classifier")
        .register(registry);
  }

  @Override
  public void close() {
    lag.close();
    streamsMetrics.close();
    registry.close();
  }
}
