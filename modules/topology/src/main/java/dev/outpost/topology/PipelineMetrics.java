package dev.outpost.topology;

import dev.outpost.model.Category;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.utils.Time;

/**
 * What the pipeline did, counted: items read, classified, dropped as repeats and dead-lettered
 * (per reason), alerts per category, and event times that fell back to the record timestamp.
 *
 * <p>The counts are Kafka metrics in group {@value #GROUP}, published over JMX under the {@code
 * dev.outpost} domain with an {@code instance} tag, beside the metrics Kafka Streams publishes
 * itself. Thread-safe: every stream thread of an instance shares one.
 */
public final class PipelineMetrics implements AutoCloseable {

  /** The metric group of every Outpost pipeline metric. */
  public static final String GROUP = "outpost-pipeline";

  private final Metrics metrics;
  private final Map<String, String> tags;
  private final LongAdder items = new LongAdder();
  private final LongAdder classified = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder timestampFallbacks = new LongAdder();
  private final LongAdder classifyNanos = new LongAdder();
  private final Map<Category, LongAdder> alerts = new EnumMap<>(Category.class);
  private final Map<DeadLetterReason, LongAdder> deadLetters = new ConcurrentHashMap<>();

  /**
   * @param instance tells this instance's metrics from others' in the same JVM
   */
  public PipelineMetrics(final String instance) {
    this.metrics =
        new Metrics(
            new MetricConfig(),
            List.of(new JmxReporter()),
            Time.SYSTEM,
            new KafkaMetricsContext("dev.outpost"));
    this.tags = Map.of("instance", instance);
    register("items-total", "News items read from the input topic.", items);
    register("classified-total", "Items classified and written.", classified);
    register("duplicates-total", "Repeat deliveries of an item id dropped.", duplicates);
    register(
        "event-time-fallbacks-total",
        "Items whose publishedAt was missing or absurd, timed by the record timestamp instead.",
        timestampFallbacks);
    for (final Category category : Category.values()) {
      final LongAdder count = new LongAdder();
      alerts.put(category, count);
      register(
          "alerts-total",
          "Alerts written, by category.",
          count,
          Map.of("category", category.name().toLowerCase(java.util.Locale.ROOT)));
    }
    for (final DeadLetterReason reason : DeadLetterReason.values()) {
      final LongAdder count = new LongAdder();
      deadLetters.put(reason, count);
      register(
          "dead-letters-total",
          "Records sent to the dead-letter topic, by reason.",
          count,
          Map.of("reason", reason.tag()));
    }
  }

  private void register(final String name, final String doc, final LongAdder count) {
    register(name, doc, count, Map.of());
  }

  private void register(
      final String name, final String doc, final LongAdder count, final Map<String, String> extra) {
    final Map<String, String> all = new TreeMap<>(tags);
    all.putAll(extra);
    final MetricName metricName = metrics.metricName(name, GROUP, doc, all);
    metrics.addMetric(metricName, (Measurable) (config, now) -> count.sum());
  }

  void item() {
    items.increment();
  }

  void classified(final long nanos) {
    classified.increment();
    classifyNanos.add(nanos);
  }

  void duplicate() {
    duplicates.increment();
  }

  void timestampFallback() {
    timestampFallbacks.increment();
  }

  void alert(final Category category) {
    alerts.get(category).increment();
  }

  void deadLetter(final DeadLetterReason reason) {
    deadLetters.get(reason).increment();
  }

  /** @return items read */
  public long items() {
    return items.sum();
  }

  /** @return items classified and written */
  public long classifiedItems() {
    return classified.sum();
  }

  /** @return time spent in the classifier, over all items classified, in nanoseconds */
  public long classificationNanos() {
    return classifyNanos.sum();
  }

  /** @return repeat deliveries dropped */
  public long duplicates() {
    return duplicates.sum();
  }

  /** @return items timed by their record timestamp */
  public long timestampFallbacks() {
    return timestampFallbacks.sum();
  }

  /**
   * @param category a label
   * @return alerts written with it
   */
  public long alerts(final Category category) {
    return alerts.get(category).sum();
  }

  /**
   * @param reason a reason
   * @return records dead-lettered for it
   */
  public long deadLetters(final DeadLetterReason reason) {
    return deadLetters.get(reason).sum();
  }

  /** @return records dead-lettered, for any reason */
  public long deadLetters() {
    return deadLetters.values().stream().mapToLong(LongAdder::sum).sum();
  }

  @Override
  public void close() {
    metrics.close();
  }
}
