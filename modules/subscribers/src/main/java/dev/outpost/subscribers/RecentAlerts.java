package dev.outpost.subscribers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.outpost.clients.ClientsException;
import dev.outpost.clients.RecordHandler;
import dev.outpost.clients.TopicReader;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.Story;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last alerts and stories already on the topics, as JSON, so a dashboard opened now is not
 * empty: {@code GET /api/recent?limit=N} reads the tail of every alert topic and of {@code
 * stories.v1}, read committed, and answers the newest {@code N} of each (by classification time
 * for alerts, by the time of their latest alert for stories), each rendered as {@link AvroJson}
 * does, and how many records could not be read ({@code unreadable}). Live alerts then come from
 * {@link AlertStream}.
 *
 * <p>Each request reads the topics again, with a consumer of its own outside any group, unless an
 * answer of the same limit is younger than a couple of seconds. An unreachable cluster answers 503
 * with what went wrong, so the page can say so.
 */
public final class RecentAlerts implements HttpHandler {

  /** Where an ops server serves it; the dashboard reads it there. */
  public static final String PATH = "/api/recent";

  /** How many alerts and stories an answer holds unless the request says. */
  public static final int DEFAULT_LIMIT = 50;

  /** The most a request may ask for. */
  public static final int MAX_LIMIT = 500;

  private static final Logger LOG = LoggerFactory.getLogger(RecentAlerts.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Duration READ_DEADLINE = Duration.ofSeconds(10);
  private static final Duration FRESH = Duration.ofSeconds(2);

  private final Map<String, Object> kafkaProperties;
  private final SchemaRegistryClient registry;
  private final Clock clock;
  private String cached;
  private int cachedLimit;
  private long cachedAt;

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}; a {@code group.id} is
   *     left out, as nothing is committed
   * @param registry where the alert and story schemas are
   * @param clock what the answer's age is measured on
   */
  public RecentAlerts(final Map<String, Object> kafkaProperties, final SchemaRegistryClient registry, final Clock clock) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    // Looking must not create: a broker that auto-creates topics would otherwise make an alert
    // topic, with its own defaults, for a dashboard opened before the pipeline ever ran.
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    this.kafkaProperties = Map.copyOf(props);
    this.registry = registry;
    this.clock = clock;
  }

  @Override
  public void handle(final HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "text/plain; charset=utf-8", "use GET\n");
        return;
      }
      final int limit;
      try {
        limit = limit(AlertStream.query(exchange.getRequestURI().getRawQuery()).get("limit"));
      } catch (final IllegalArgumentException e) {
        send(exchange, 400, "text/plain; charset=utf-8", e.getMessage() + "\n");
        return;
      }
      try {
        send(exchange, 200, "application/json", answer(limit));
      } catch (final ClientsException | KafkaException e) {
        LOG.warn("Could not read the recent alerts: {}", e.getMessage());
        final ObjectNode error = NODES.objectNode().put("error", "Could not read the alert topics: " + e.getMessage());
        send(exchange, 503, "application/json", error.toString());
      }
    }
  }

  /**
   * @param values the {@code limit} parameter's values, or null
   * @return the limit they give
   * @throws IllegalArgumentException when it is not a whole number from 1 to {@link #MAX_LIMIT}
   */
  static int limit(final List<String> values) {
    if (values == null || values.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      final int limit = Integer.parseInt(values.get(0).trim());
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (final NumberFormatException e) {
      // Said below, with the range.
    }
    throw new IllegalArgumentException("limit '" + values.get(0) + "' is not a whole number from 1 to " + MAX_LIMIT);
  }

  private synchronized String answer(final int limit) {
    final long now = clock.millis();
    if (cached != null && cachedLimit == limit && now - cachedAt < FRESH.toMillis()) {
      return cached;
    }
    final ObjectNode answer = NODES.objectNode();
    final int[] unreadable = {0};
    answer.set("alerts", toArray(alerts(limit, unreadable)));
    answer.set("stories", toArray(stories(limit, unreadable)));
    // Said rather than hidden: with the registry out of reach every record is unreadable, and an
    // empty list alone would read as "no alerts".
    answer.put("unreadable", unreadable[0]);
    cached = answer.toString();
    cachedLimit = limit;
    cachedAt = now;
    return cached;
  }

  /**
   * The last offsets of each partition of every alert topic, newest classification first. Each
   * partition is read back {@code limit} offsets: transaction markers take some of them, and three
   * partitions per topic leave enough for the newest {@code limit} of them all.
   */
  private List<Alert> alerts(final int limit, final int[] unreadable) {
    final List<Alert> alerts = new ArrayList<>();
    try (TopicReader<String, Alert> reader =
        TopicSerdes.reader(Topics.ALERTS_MILITARY_EXERCISE, kafkaProperties, IsolationLevel.READ_COMMITTED, registry)) {
      for (final Category c : Category.values()) {
        reader.readLast(Topics.alertTopicFor(c).name(), limit, READ_DEADLINE, skippingUnreadable(r -> alerts.add(r.value()), unreadable));
      }
    }
    return alerts.stream()
        .filter(a -> a != null)
        .sorted(Comparator.comparing(Alert::getClassifiedAt).reversed())
        .limit(limit)
        .toList();
  }

  /** The latest record of the stories last written to, the most recently reported first. */
  private List<Story> stories(final int limit, final int[] unreadable) {
    final Map<String, Story> latest = new LinkedHashMap<>();
    try (TopicReader<String, Story> reader =
        TopicSerdes.reader(Topics.STORIES, kafkaProperties, IsolationLevel.READ_COMMITTED, registry)) {
      reader.readLast(
          Topics.STORIES.name(),
          limit,
          READ_DEADLINE,
          skippingUnreadable(
              r -> {
                if (r.value() == null) {
                  latest.remove(r.key());
                } else {
                  latest.put(r.key(), r.value());
                }
              },
              unreadable));
    }
    return latest.values().stream().sorted(Comparator.comparing(Story::getLastSeen).reversed()).limit(limit).toList();
  }

  private static <V> RecordHandler<String, V> skippingUnreadable(
      final java.util.function.Consumer<ConsumerRecord<String, V>> take, final int[] unreadable) {
    return new RecordHandler<>() {
      @Override
      public void accept(final ConsumerRecord<String, V> record) {
        take.accept(record);
      }

      @Override
      public void unreadable(final RecordDeserializationException e) {
        // A record this schema cannot read is not shown, only counted; the rest of the view still is.
        unreadable[0]++;
        LOG.debug("Skipping an unreadable record at {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
      }
    };
  }

  private static ArrayNode toArray(final List<? extends org.apache.avro.generic.IndexedRecord> records) {
    final ArrayNode array = NODES.arrayNode();
    records.forEach(r -> array.add(AvroJson.toJson(r)));
    return array;
  }

  private static void send(final HttpExchange exchange, final int status, final String type, final String body) throws IOException {
    final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.getResponseHeaders().add("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
