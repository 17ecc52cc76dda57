package dev.outpost.topology;

import dev.outpost.classifier.story.StoryRules;
import dev.outpost.classifier.story.SurgeRules;
import dev.outpost.model.Category;
import dev.outpost.model.Topics;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the topology is built from: the topics it reads and writes, by role, and its limits. The
 * topology never names a topic itself, so the same code runs against the catalog's topics or a
 * test's.
 *
 * @param inputTopic news items, in the registry wire format
 * @param classifiedTopic every item with all its labels
 * @param alertTopics one topic per category
 * @param deadLetterTopic records that could not be read, validated or processed
 * @param maxTitleBytes the largest title accepted, in UTF-8 bytes
 * @param maxBodyBytes the largest body accepted, in UTF-8 bytes
 * @param dedupeWindow how long an item id is remembered to drop repeat deliveries; zero turns
 *     deduplication off
 * @param stories where stories and surges go and their rules, or null for a pipeline without
 *     them (alerts then carry no story)
 */
public record PipelineConfig(
    String inputTopic,
    String classifiedTopic,
    Map<Category, String> alertTopics,
    String deadLetterTopic,
    int maxTitleBytes,
    int maxBodyBytes,
    Duration dedupeWindow,
    Stories stories) {

  /**
   * Stories and surges.
   *
   * @param storiesTopic where each story's summary goes, keyed by story id
   * @param surgeTopic where surge alerts go
   * @param rules when alerts join a story
   * @param surges when story starts make a surge
   */
  public record Stories(String storiesTopic, String surgeTopic, StoryRules rules, SurgeRules surges) {
    /** Checks every part is there. */
    public Stories {
      requireName(storiesTopic, "stories topic");
      requireName(surgeTopic, "surge topic");
      Objects.requireNonNull(rules, "rules");
      Objects.requireNonNull(surges, "surges");
    }

    /** @return the catalog's topics and the default rules */
    public static Stories defaults() {
      return new Stories(Topics.STORIES.name(), Topics.ALERTS_SURGE.name(), StoryRules.defaults(), SurgeRules.defaults());
    }

    Stories inNamespace(final String namespace) {
      return new Stories(namespace + "." + storiesTopic, namespace + "." + surgeTopic, rules, surges);
    }
  }

  /** Titles longer than this, in UTF-8 bytes, are dead-lettered by default. */
  public static final int DEFAULT_MAX_TITLE_BYTES = 2 * 1024;

  /** Bodies longer than this, in UTF-8 bytes, are dead-lettered by default. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  /** Repeat deliveries of one item id within this window are dropped by default. */
  public static final Duration DEFAULT_DEDUPE_WINDOW = Duration.ofDays(7);

  /** Checks every topic is named, every limit is positive and the dedupe window not negative. */
  public PipelineConfig {
    requireName(inputTopic, "input topic");
    requireName(classifiedTopic, "classified topic");
    requireName(deadLetterTopic, "dead-letter topic");
    Objects.requireNonNull(alertTopics, "alertTopics");
    for (final Category category : Category.values()) {
      requireName(alertTopics.get(category), "alert topic for " + category);
    }
    alertTopics = Map.copyOf(alertTopics);
    if (maxTitleBytes < 1) {
      throw new IllegalArgumentException("max title bytes must be positive, got " + maxTitleBytes);
    }
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("max body bytes must be positive, got " + maxBodyBytes);
    }
    Objects.requireNonNull(dedupeWindow, "dedupeWindow");
    if (dedupeWindow.isNegative()) {
      throw new IllegalArgumentException(
          "dedupe window must be positive, or zero for none, got " + dedupeWindow);
    }
  }

  /**
   * The same pipeline and topics with the old constructor's shape: stories on, with defaults.
   *
   * @param inputTopic news items
   * @param classifiedTopic every item with its labels
   * @param alertTopics one topic per category
   * @param deadLetterTopic records that could not be read, validated or processed
   * @param maxTitleBytes the largest title accepted
   * @param maxBodyBytes the largest body accepted
   * @param dedupeWindow how long an item id is remembered
   */
  public PipelineConfig(
      final String inputTopic,
      final String classifiedTopic,
      final Map<Category, String> alertTopics,
      final String deadLetterTopic,
      final int maxTitleBytes,
      final int maxBodyBytes,
      final Duration dedupeWindow) {
    this(inputTopic, classifiedTopic, alertTopics, deadLetterTopic, maxTitleBytes, maxBodyBytes, dedupeWindow, Stories.defaults());
  }

  /** @return true when alerts are put into stories */
  public boolean hasStories() {
    return stories != null;
  }

  /**
   * @param stories where stories go and their rules, or null for none
   * @return this config with them
   */
  public PipelineConfig withStories(final Stories stories) {
    return new PipelineConfig(
        inputTopic, classifiedTopic, alertTopics, deadLetterTopic, maxTitleBytes, maxBodyBytes, dedupeWindow, stories);
  }

  /** @return true when repeat deliveries are dropped: the dedupe window is not zero */
  public boolean deduplicates() {
    return !dedupeWindow.isZero();
  }

  /** @return the catalog's topics and the default limits */
  public static PipelineConfig defaults() {
    final Map<Category, String> alerts = new EnumMap<>(Category.class);
    for (final Category category : Category.values()) {
      alerts.put(category, Topics.alertTopicFor(category).name());
    }
    return new PipelineConfig(
        Topics.NEWS_ITEMS.name(),
        Topics.NEWS_CLASSIFIED.name(),
        alerts,
        Topics.NEWS_ITEMS_DLQ.name(),
        DEFAULT_MAX_TITLE_BYTES,
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_DEDUPE_WINDOW,
        Stories.defaults());
  }

  /**
   * @param category a label
   * @return the topic its alerts go to
   */
  public String alertTopic(final Category category) {
    return alertTopics.get(category);
  }

  /**
   * @param titleBytes the largest title accepted
   * @param bodyBytes the largest body accepted
   * @return this config with those limits
   */
  public PipelineConfig withLimits(final int titleBytes, final int bodyBytes) {
    return new PipelineConfig(
        inputTopic, classifiedTopic, alertTopics, deadLetterTopic, titleBytes, bodyBytes, dedupeWindow, stories);
  }

  /**
   * @param window how long item ids are remembered; zero for no deduplication
   * @return this config with that window
   */
  public PipelineConfig withDedupeWindow(final Duration window) {
    return new PipelineConfig(
        inputTopic, classifiedTopic, alertTopics, deadLetterTopic, maxTitleBytes, maxBodyBytes, window, stories);
  }

  /**
   * The same pipeline in a namespace: every topic prefixed with {@code namespace.}, so a replay or
   * an experiment reads and writes its own topics and live subscribers never see its alerts.
   *
   * @param namespace letters, digits, '-' and '_'
   * @return this config with namespaced topics
   * @throws IllegalArgumentException naming what a namespace may hold
   */
  public PipelineConfig inNamespace(final String namespace) {
    Topics.requireNamespace(namespace);
    final Map<Category, String> alerts = new EnumMap<>(Category.class);
    alertTopics.forEach((c, t) -> alerts.put(c, namespace + "." + t));
    return new PipelineConfig(
        namespace + "." + inputTopic,
        namespace + "." + classifiedTopic,
        alerts,
        namespace + "." + deadLetterTopic,
        maxTitleBytes,
        maxBodyBytes,
        dedupeWindow,
        stories == null ? null : stories.inNamespace(namespace));
  }

  private static void requireName(final String name, final String role) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("The pipeline needs a " + role + "; none was given");
    }
  }
}
