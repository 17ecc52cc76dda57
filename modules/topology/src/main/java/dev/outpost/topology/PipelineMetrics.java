package dev.outpost.topology;

import dev.outpost.model.Category;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.utils.Time;

/**
 * What the pipeline did, counted: items read, classified, dropped as repeats and dead-lettered
 * (per reason), alerts per category, items in a language Outpost does not read (per language),
 * and event times that fell back to the record timestamp.
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
  private final LongAdder storiesStarted = new LongAdder();
  private final LongAdder storiesClosed = new LongAdder();
  private final LongAdder surges = new LongAdder();
  private final LongAdder storyAlerts = new LongAdder();
  private final LongAdder summariesOwed = new LongAdder();
  private final Map<Category, LongAdder> alerts = new EnumMap<>(Category.class);
  private final Map<DeadLetterReason, LongAdder> deadLetters = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> unsupportedLanguages = new ConcurrentHashMap<>();
  private final List<Consumer<String>> languageListeners = new CopyOnWriteArrayList<>();

  /**
   * Languages counted apart; any further one is counted as {@value #OTHER_LANGUAGE}. A producer
   * declares what it likes ("xyz" is a well-formed tag), so the series must stay bounded.
   */
  public static final int MAX_LANGUAGES = 64;

  /** Where languages beyond {@link #MAX_LANGUAGES} are counted. */
  public static final String OTHER_LANGUAGE = "other";

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
    register("stories-started-total", "Stories started: alerts that joined no open story.", storiesStarted);
    register("stories-closed-total", "Stories closed after their quiet period, or to bound state.", storiesClosed);
    register("surges-total", "Surge alerts written.", surges);
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

  void storySummariesOwed(final int delta) {
    summariesOwed.add(delta);
  }

  /**
   * @return stories that grew since their last summary on {@code stories.v1}, in this process:
   *     their summaries are written within a second. Zero once those written are owed nothing;
   *     wait for it before closing the pipeline, so that a clean close commits them.
   */
  public long storySummariesOwed() {
    return summariesOwed.sum();
  }

  void storyStarted() {
    storiesStarted.increment();
  }

  void storyClosed() {
    storiesClosed.increment();
  }

  void surge() {
    surges.increment();
  }

  void storyAlert() {
    storyAlerts.increment();
  }

  /**
   * @return alerts that came out of the story step, one hop after fan-out; equal to the sum of
   *     {@link #alerts(Category)} once the story step has caught up (zero without stories)
   */
  public long alertsThroughStories() {
    return storyAlerts.sum();
  }

  /**
   * @return alerts built at fan-out, every category
   */
  public long alertsTotal() {
    return alerts.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** @return stories started since this instance began */
  public long storiesStarted() {
    return storiesStarted.sum();
  }

  /** @return surge alerts written since this instance began */
  public long surges() {
    return surges.sum();
  }

  void deadLetter(final DeadLetterReason reason) {
    deadLetters.get(reason).increment();
  }

  /**
   * Counts an item the classifier did not read because Outpost does not classify its language.
   * The topology calls it; public so that what reports the counts can be tested without one.
   *
   * @param language the item's language, an ISO 639-1 code
   */
  public void unsupportedLanguage(final String language) {
    LongAdder count = unsupportedLanguages.get(language);
    if (count == null) {
      count = newLanguage(language);
    }
    count.increment();
  }

  private synchronized LongAdder newLanguage(final String language) {
    final LongAdder existing = unsupportedLanguages.get(language);
    if (existing != null) {
      return existing;
    }
    if (unsupportedLanguages.size() >= MAX_LANGUAGES - 1 && !language.equals(OTHER_LANGUAGE)) {
      final LongAdder other = unsupportedLanguages.get(OTHER_LANGUAGE);
      return other != null ? other : newLanguage(OTHER_LANGUAGE);
    }
    final LongAdder count = new LongAdder();
    register(
        "unsupported-language-total",
        "Items in a language Outpost does not classify, written unread (languageSupported=false), by language.",
        count,
        Map.of("language", language));
    unsupportedLanguages.put(language, count);
    languageListeners.forEach(l -> l.accept(language));
    return count;
  }

  /**
   * Calls {@code listener} with every language counted so far, and from now on with each language
   * the first time an item in it is counted, so a metrics registry can add its series.
   *
   * @param listener takes a language code
   */
  public synchronized void onUnsupportedLanguage(final Consumer<String> listener) {
    unsupportedLanguages.keySet().forEach(listener);
    languageListeners.add(listener);
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

  /**
   * @param language a language code
   * @return items in it written unread, since Outpost does not classify it
   */
  public long unsupportedLanguageItems(final String language) {
    final LongAdder count = unsupportedLanguages.get(language);
    return count == null ? 0 : count.sum();
  }

  /** @return items written unread, per language, in code order */
  public Map<String, Long> unsupportedLanguages() {
    final Map<String, Long> counts = new TreeMap<>();
    unsupportedLanguages.forEach((language, count) -> counts.put(language, count.sum()));
    return counts;
  }

  /** @return items written unread, in any language */
  public long unsupportedLanguageItems() {
    return unsupportedLanguages.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** @return records dead-lettered, for any reason */
  public long deadLetters() {
    return deadLetters.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /**
   * @return the counts on one line, as a long-running command prints them now and then: items,
   *     classified, alerts per category, duplicates dropped and dead letters
   */
  public String statusLine() {
    final StringBuilder perCategory = new StringBuilder();
    for (final Category c : Category.values()) {
      if (perCategory.length() > 0) {
        perCategory.append(", ");
      }
      perCategory.append(c.name().toLowerCase(Locale.ROOT)).append(' ').append(alerts(c));
    }
    return String.format(
        Locale.ROOT,
        "Items %d, classified %d, alerts [%s], duplicates dropped %d, dead letters %d",
        items(),
        classifiedItems(),
        perCategory,
        duplicates(),
        deadLetters());
  }

  @Override
  public void close() {
    metrics.close();
  }
}
