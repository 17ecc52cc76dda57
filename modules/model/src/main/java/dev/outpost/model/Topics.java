package dev.outpost.model;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog of every topic Outpost reads or writes. Topic names appear nowhere else in code:
 * callers take them from here.
 *
 * <p>Keys of the news, classified and alert topics are item ids, so all records of one item land
 * on the same partition. The dead-letter topic keeps the original key and value bytes untouched.
 */
public final class Topics {

  /** Raw news items, as producers publish them. */
  public static final TopicSpec<String, NewsItem> NEWS_ITEMS =
      new TopicSpec<>("news.items.v1", String.class, NewsItem.class, 6, CleanupPolicy.DELETE);

  /** Every item with all the labels the classifier gave it, including none. */
  public static final TopicSpec<String, ClassifiedItem> NEWS_CLASSIFIED =
      new TopicSpec<>(
          "news.classified.v1", String.class, ClassifiedItem.class, 6, CleanupPolicy.DELETE);

  /** Alerts labelled {@link Category#MILITARY_EXERCISE}. */
  public static final TopicSpec<String, Alert> ALERTS_MILITARY_EXERCISE =
      alerts("alerts.military-exercise.v1");

  /** Alerts labelled {@link Category#TROOP_DISPATCH}. */
  public static final TopicSpec<String, Alert> ALERTS_TROOP_DISPATCH =
      alerts("alerts.troop-dispatch.v1");

  /** Alerts labelled {@link Category#PARADE}. */
  public static final TopicSpec<String, Alert> ALERTS_PARADE = alerts("alerts.parade.v1");

  /** Alerts labelled {@link Category#DIPLOMATIC_TENSION}. */
  public static final TopicSpec<String, Alert> ALERTS_DIPLOMATIC_TENSION =
      alerts("alerts.diplomatic-tension.v1");

  /**
   * Each story's latest summary, keyed by story id. Compacted: the latest record of a story is all
   * a reader needs, and the record a story closes with stays.
   */
  public static final TopicSpec<String, Story> STORIES =
      new TopicSpec<>("stories.v1", String.class, Story.class, 3, CleanupPolicy.COMPACT);

  /**
   * Surges of stories per state and category, keyed by {@code <CATEGORY>:<state>}, so the surges
   * of one state and category stay in order.
   */
  public static final TopicSpec<String, SurgeAlert> ALERTS_SURGE =
      new TopicSpec<>("alerts.surge.v1", String.class, SurgeAlert.class, 3, CleanupPolicy.DELETE);

  /** Records of {@link #NEWS_ITEMS} that could not be read, validated or processed. */
  public static final TopicSpec<byte[], byte[]> NEWS_ITEMS_DLQ =
      new TopicSpec<>("news.items.dlq.v1", byte[].class, byte[].class, 1, CleanupPolicy.DELETE);

  /**
   * Where the embedded schema registry keeps its schemas, as Confluent's registry does by default.
   * Compacted, one partition, so the log replays in order.
   */
  public static final TopicSpec<byte[], byte[]> REGISTRY_SCHEMAS =
      new TopicSpec<>("_schemas", byte[].class, byte[].class, 1, CleanupPolicy.COMPACT);

  /**
   * Subscriptions to alerts, keyed by subscription id. Compacted, so the latest version of each
   * survives and a tombstone removes one; one partition, so every reader sees them in order.
   */
  public static final TopicSpec<String, Subscription> SUBSCRIPTIONS =
      new TopicSpec<>("outpost.subscriptions.v1", String.class, Subscription.class, 1, CleanupPolicy.COMPACT);

  private static final Map<Category, TopicSpec<String, Alert>> ALERTS_BY_CATEGORY =
      alertsByCategory();

  /** The topics of the pipeline itself, in the order data flows through them. */
  public static final List<TopicSpec<?, ?>> PIPELINE =
      List.of(
          NEWS_ITEMS,
          NEWS_CLASSIFIED,
          ALERTS_MILITARY_EXERCISE,
          ALERTS_TROOP_DISPATCH,
          ALERTS_PARADE,
          ALERTS_DIPLOMATIC_TENSION,
          STORIES,
          ALERTS_SURGE,
          NEWS_ITEMS_DLQ);

  /**
   * The delays of a webhook dispatcher's retry topics, shortest first. A retry waits in the
   * topic of the longest delay not above the one it needs; within one topic every record waits
   * the same, so waiting for the head of a partition is never waiting for nothing.
   */
  public static final List<java.time.Duration> DISPATCH_RETRY_DELAYS =
      List.of(
          java.time.Duration.ofSeconds(1),
          java.time.Duration.ofSeconds(10),
          java.time.Duration.ofMinutes(1),
          java.time.Duration.ofMinutes(10));

  /**
   * How long a dispatcher's retry topics keep records. A record there is a delivery not yet made;
   * were it deleted at the broker's default of 7 days while the dispatcher was down, the delivery
   * would be lost. 30 days outlasts any outage the alert topics themselves survive.
   */
  public static final java.time.Duration DISPATCH_RETRY_RETENTION = java.time.Duration.ofDays(30);

  /**
   * How long a dispatcher's parking topic keeps alerts it gave up on: long enough for someone to
   * notice (the parked count is a metric), fix the receiver and redeliver them.
   */
  public static final java.time.Duration DISPATCH_PARKED_RETENTION = java.time.Duration.ofDays(90);

  /**
   * @param group a dispatcher's consumer group
   * @param delay one of {@link #DISPATCH_RETRY_DELAYS}
   * @return the retry topic of that group and delay; values are alert bytes, delivery state in
   *     headers
   */
  public static TopicSpec<String, byte[]> dispatchRetry(final String group, final java.time.Duration delay) {
    if (!DISPATCH_RETRY_DELAYS.contains(delay)) {
      throw new IllegalArgumentException("No retry topic for a delay of " + delay);
    }
    return new TopicSpec<>(
        group + ".retry-" + delay.toSeconds() + "s.v1",
        String.class,
        byte[].class,
        1,
        CleanupPolicy.DELETE,
        DISPATCH_RETRY_RETENTION);
  }

  /**
   * @param group a dispatcher's consumer group
   * @return where that dispatcher parks alerts it gave up delivering; values are alert bytes,
   *     the reason in headers; kept for {@link #DISPATCH_PARKED_RETENTION}
   */
  public static TopicSpec<String, byte[]> dispatchParked(final String group) {
    return new TopicSpec<>(
        group + ".parked.v1", String.class, byte[].class, 1, CleanupPolicy.DELETE, DISPATCH_PARKED_RETENTION);
  }

  /**
   * @param group a dispatcher's consumer group
   * @return its retry topics and its parking topic
   */
  public static List<TopicSpec<?, ?>> dispatchTopics(final String group) {
    final List<TopicSpec<?, ?>> topics = new java.util.ArrayList<>();
    DISPATCH_RETRY_DELAYS.forEach(d -> topics.add(dispatchRetry(group, d)));
    topics.add(dispatchParked(group));
    return List.copyOf(topics);
  }

  /**
   * What {@code outpost watch} remembers of each feed (validators and the ids already published),
   * keyed by feed URL, as JSON. Compacted, so the latest state of each feed survives restarts.
   */
  public static final TopicSpec<String, String> WATCH_STATE =
      new TopicSpec<>("outpost.watch.state.v1", String.class, String.class, 1, CleanupPolicy.COMPACT);

  /**
   * How far each replay has got, keyed by namespace, as JSON. Written in the same transaction as
   * the items it counts, so a stopped replay resumes exactly where its last commit left it.
   * Compacted, so the latest position of each namespace survives.
   */
  public static final TopicSpec<String, String> REPLAY_STATE =
      new TopicSpec<>("outpost.replay.state.v1", String.class, String.class, 1, CleanupPolicy.COMPACT);

  /**
   * @param namespace a replay's or experiment's namespace
   * @return the same name
   * @throws IllegalArgumentException when it is not 1 to 64 letters, digits, '-' or '_'
   */
  public static String requireNamespace(final String namespace) {
    if (namespace == null || !namespace.matches("[a-zA-Z0-9_-]{1,64}")) {
      throw new IllegalArgumentException(
          "namespace '" + namespace + "' must be 1 to 64 letters, digits, '-' or '_'");
    }
    return namespace;
  }

  /**
   * @param namespace a replay's or experiment's namespace
   * @return the pipeline's topics in it: the same specs, each name prefixed with {@code namespace.}
   * @throws IllegalArgumentException when the namespace is not a valid name
   */
  public static List<TopicSpec<?, ?>> pipelineIn(final String namespace) {
    requireNamespace(namespace);
    return PIPELINE.stream().<TopicSpec<?, ?>>map(t -> in(namespace, t)).toList();
  }

  /**
   * @param namespace a valid namespace, or null for the live topics
   * @param spec a topic of the catalog
   * @return the same topic in that namespace: its name prefixed with {@code namespace.}
   */
  public static <K, V> TopicSpec<K, V> in(final String namespace, final TopicSpec<K, V> spec) {
    if (namespace == null) {
      return spec;
    }
    return new TopicSpec<>(requireNamespace(namespace) + "." + spec.name(), spec.keyType(), spec.valueType(), spec.partitions(), spec.cleanupPolicy(), spec.retention());
  }

  /**
   * Events about Outpost itself, for the people who run it: a consumer group's lag status changed
   * (or the group aged out of the lag report), or dead letters surged (and the surge ended). One
   * JSON object per record, keyed by what it is about (the group, or "dead-letters"); the ops
   * server writes them, and the dispatcher delivers them to the subscriptions that ask for ops
   * events. JSON rather than Avro: the ops server writes them without a schema registry, and
   * webhooks receive them as they are.
   */
  public static final TopicSpec<String, String> OPS_EVENTS =
      new TopicSpec<>("outpost.ops.events.v1", String.class, String.class, 1, CleanupPolicy.DELETE, java.time.Duration.ofDays(30));

  /** The topics of delivery, beside the pipeline's: subscriptions, and the ops events they may ask for. */
  public static final List<TopicSpec<?, ?>> DELIVERY = List.of(SUBSCRIPTIONS, OPS_EVENTS);

  private Topics() {}

  /**
   * @param category a label
   * @return the alert topic that label's alerts are written to
   */
  public static TopicSpec<String, Alert> alertTopicFor(final Category category) {
    return ALERTS_BY_CATEGORY.get(category);
  }

  /**
   * @param name a topic name
   * @return the catalog entry of that name, if there is one
   */
  public static Optional<TopicSpec<?, ?>> byName(final String name) {
    if (REGISTRY_SCHEMAS.name().equals(name)) {
      return Optional.of(REGISTRY_SCHEMAS);
    }
    if (SUBSCRIPTIONS.name().equals(name)) {
      return Optional.of(SUBSCRIPTIONS);
    }
    if (OPS_EVENTS.name().equals(name)) {
      return Optional.of(OPS_EVENTS);
    }
    return PIPELINE.stream().<TopicSpec<?, ?>>map(t -> t).filter(t -> t.name().equals(name)).findFirst();
  }

  private static TopicSpec<String, Alert> alerts(final String name) {
    return new TopicSpec<>(name, String.class, Alert.class, 3, CleanupPolicy.DELETE);
  }

  private static Map<Category, TopicSpec<String, Alert>> alertsByCategory() {
    final Map<Category, TopicSpec<String, Alert>> map = new EnumMap<>(Category.class);
    map.put(Category.MILITARY_EXERCISE, ALERTS_MILITARY_EXERCISE);
    map.put(Category.TROOP_DISPATCH, ALERTS_TROOP_DISPATCH);
    map.put(Category.PARADE, ALERTS_PARADE);
    map.put(Category.DIPLOMATIC_TENSION, ALERTS_DIPLOMATIC_TENSION);
    return Map.copyOf(map);
  }
}
