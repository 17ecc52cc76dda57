package dev.outpost.topology;

import dev.outpost.model.Category;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A running pipeline as an ops server shows it: its counts and classification time as meters,
 * beside Kafka Streams' own ({@link #bindTo}), and the counts the dashboard shows, with alerts
 * over the last hour ({@link #summary}). Close it when the pipeline stops.
 */
public final class PipelineMeters implements MeterBinder, AutoCloseable {

  private final Pipeline pipeline;
  private final KafkaStreamsMetrics streamsMetrics;
  private final AlertRate rate;

  /**
   * Starts sampling the alert totals, every ten seconds, for the last hour's alerts.
   *
   * @param pipeline the running pipeline
   * @param clock the time the samples are taken at
   */
  public PipelineMeters(final Pipeline pipeline, final Clock clock) {
    this.pipeline = pipeline;
    this.streamsMetrics = new KafkaStreamsMetrics(pipeline.streams());
    this.rate = new AlertRate(pipeline.metrics(), clock);
  }

  /**
   * Publishes the pipeline's counts ({@code outpost.items}, {@code .classified}, {@code
   * .duplicates}, {@code .alerts} per category, {@code .dead.letters} per reason, {@code
   * .unsupported.language} per language...), the time in the classifier, and Kafka Streams' own
   * metrics.
   *
   * @param registry where to publish them
   */
  @Override
  public void bindTo(final MeterRegistry registry) {
    bind(registry, pipeline.metrics());
    streamsMetrics.bindTo(registry);
  }

  /**
   * @return what {@code /api/summary} answers: items, classified, duplicates, alerts per category
   *     over the last hour, dead letters per reason, and the items written unread because Outpost
   *     does not classify their language, in all and per language
   */
  public Map<String, Object> summary() {
    return summary(pipeline.metrics(), rate);
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
      // take() only reads counters, and close() stops it by shutting the timer down.
      final java.util.concurrent.ScheduledFuture<?> unused = timer.scheduleWithFixedDelay(this::take, 10, 10, TimeUnit.SECONDS);
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

  static void bind(final MeterRegistry registry, final PipelineMetrics m) {
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

  /** Stops sampling the alert totals, and unbinds Kafka Streams' metrics. */
  @Override
  public void close() {
    rate.close();
    streamsMetrics.close();
  }
}
