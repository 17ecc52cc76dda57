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
import java.util.TreeMap;
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
  private final AlertRate rate;

  private OpsWiring(
      final LagMonitor lag,
      final KafkaStreamsMetrics streamsMetrics,
      final PrometheusMeterRegistry registry,
      final AlertRate rate) {
    this.lag = lag;
    this.streamsMetrics = streamsMetrics;
    this.registry = registry;
    this.rate = rate;
  }

  /**
   * What {@code /api/summary} answers: the counts the dashboard shows beside lag, including the
   * items written unread because Outpost does not classify their language, per language.
   */
  static Map<String, Object> summary(final PipelineMetrics m, final AlertRate rate) {
    final Map<String, Object> deadLetters = new TreeMap<>();
    for (final DeadLetterReason r : DeadLetterReason.values()) {
      deadLetters.put(r.tag(), m.deadLetters(r));
    }
    return Map.of(
        "items", m.items(),
        "classified", m.classifiedItems(),
        "duplicates", m.duplicates(),
        "alertsLastHour", rate.lastHour(),
        "deadLetters", deadLetters,
        "unsupportedLanguage", m.unsupportedLanguageItems(),
        "unsupportedLanguages", m.unsupportedLanguages());
  }

  /**
   * Alerts per category over the last hour, from the pipeline's running totals sampled every ten
   * seconds: the total now less the total an hour ago (or at the first sample, if younger).
   */
  static final class AlertRate implements AutoCloseable {
    private record Totals(long timeMs, Map<Category, Long> counts) {}

    private final PipelineMetrics metrics;
    private final Clock clock;
    private final java.util.Deque<Totals> samples = new java.util.ArrayDeque<>();
    private final java.util.concurrent.ScheduledExecutorService timer;

    AlertRate(final PipelineMetrics metrics, final Clock clock) {
      this.metrics = metrics;
      this.clock = clock;
      take();
      timer =
          java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
              r -> {
                final Thread t = new Thread(r, "outpost-alert-rate");
                t.setDaemon(true);
                return t;
              });
      timer.scheduleWithFixedDelay(this::take, 10, 10, TimeUnit.SECONDS);
    }

    private synchronized void take() {
      final Map<Category, Long> counts = new java.util.EnumMap<>(Category.class);
      for (final Category c : Category.values()) {
        counts.put(c, metrics.alerts(c));
      }
      samples.addLast(new Totals(clock.millis(), counts));
      while (samples.size() > 1 && samples.peekFirst().timeMs() < clock.millis() - TimeUnit.HOURS.toMillis(1)) {
        samples.removeFirst();
      }
    }

    synchronized Map<String, Long> lastHour() {
      final Totals oldest = samples.peekFirst();
      final Map<String, Long> counts = new java.util.LinkedHashMap<>();
      for (final Category c : Category.values()) {
        counts.put(c.name().toLowerCase(Locale.ROOT), metrics.alerts(c) - oldest.counts().get(c));
      }
      return counts;
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
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
    final AlertRate rate = new AlertRate(pipeline.metrics(), clock);
    OpsEndpoints.install(
        server,
        registry,
        lag,
        () -> {
          final KafkaStreams.State state = pipeline.streams().state();
          return new OpsEndpoints.Readiness(state == KafkaStreams.State.RUNNING, "kafka streams " + state);
        },
        () -> summary(pipeline.metrics(), rate));
    return new OpsWiring(lag, streams, registry, rate);
  }

  static void bind(final PrometheusMeterRegistry registry, final PipelineMetrics m) {
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
    // outpost_unsupported_language_total{language}: a series appears with the first such item.
    m.onUnsupportedLanguage(
        language ->
            FunctionCounter.builder("outpost.unsupported.language", m, x -> x.unsupportedLanguageItems(language))
                .tag("language", language)
                .description("Items in a language Outpost does not classify, written unread, by language")
                .register(registry));
    FunctionTimer.builder(
            "outpost.classification", m, PipelineMetrics::classifiedItems, PipelineMetrics::classificationNanos, TimeUnit.NANOSECONDS)
        .description("Time in the classifier")
        .register(registry);
  }

  @Override
  public void close() {
    rate.close();
    lag.close();
    streamsMetrics.close();
    registry.close();
  }
}
