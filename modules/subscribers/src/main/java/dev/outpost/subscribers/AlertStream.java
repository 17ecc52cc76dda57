package dev.outpost.subscribers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.outpost.clients.ConsumerSettings;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events of alerts, for browsers: {@code GET /alerts/stream} with the filters of
 * {@code outpost subscribe} as query parameters ({@code category} repeatable, {@code actor} as
 * {@code CHN,RUS}, {@code min_confidence}, {@code keyword} repeatable, {@code per_story=true} for
 * one alert per story and milestone) and {@code from=earliest} or {@code latest} (the default).
 *
 * <p>Every event's id is the stream's position after it: the next offset of every partition it
 * reads. A client that reconnects with {@code Last-Event-ID} (browsers' {@code EventSource} does
 * so by itself) resumes right after the last event it saw, with nothing lost or repeated. Each
 * connection has its own consumer, outside any group; a comment line every few seconds keeps
 * proxies from closing an idle stream and tells the server when the client has gone.
 */
public final class AlertStream implements HttpHandler {

  /** Where an ops server serves the stream; the dashboard reads it there. */
  public static final String PATH = "/alerts/stream";

  private static final Logger LOG = LoggerFactory.getLogger(AlertStream.class);
  private static final Duration KEEPALIVE = Duration.ofSeconds(10);

  /**
   * Each category's number in an event id. A client hands the id back when it reconnects, maybe to
   * a newer server, so the numbers are fixed here rather than taken from the order of the enum,
   * which the Avro schema sets. A new category takes the next number.
   */
  private static final List<Category> ID_CATEGORIES =
      List.of(Category.MILITARY_EXERCISE, Category.TROOP_DISPATCH, Category.PARADE, Category.DIPLOMATIC_TENSION);

  private final Map<String, Object> kafkaProperties;
  private final SchemaRegistryClient registry;
  private final Semaphore slots;

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param registry where the alert schema is
   * @param maxStreams streams served at once; more get 503
   * @throws IllegalArgumentException when the properties ask for auto-commit, refused here rather
   *     than at the first stream (see {@link ConsumerSettings})
   */
  public AlertStream(final Map<String, Object> kafkaProperties, final SchemaRegistryClient registry, final int maxStreams) {
    this.kafkaProperties = Map.copyOf(ConsumerSettings.safe(kafkaProperties, IsolationLevel.READ_COMMITTED));
    this.registry = registry;
    this.slots = new Semaphore(maxStreams);
  }

  @Override
  public void handle(final HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        plain(exchange, 405, "use GET");
        return;
      }
      final Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
      final AlertFilter filter;
      final Map<TopicPartition, Long> resume;
      try {
        filter = filter(query);
        resume = parseId(exchange.getRequestHeaders().getFirst("Last-Event-ID"));
      } catch (final IllegalArgumentException e) {
        plain(exchange, 400, e.getMessage());
        return;
      }
      if (!slots.tryAcquire()) {
        plain(exchange, 503, "too many alert streams open; try again later");
        return;
      }
      try {
        stream(exchange, filter, resume, "earliest".equals(first(query, "from")));
      } finally {
        slots.release();
      }
    }
  }

  private void stream(
      final HttpExchange exchange,
      final AlertFilter filter,
      final Map<TopicPartition, Long> resume,
      final boolean fromEarliest) throws IOException {
    // Every alert topic has the same key and value types; the consumer reads those the filter names.
    try (KafkaConsumer<String, Alert> consumer =
        TopicSerdes.consumer(Topics.ALERTS_MILITARY_EXERCISE, kafkaProperties, IsolationLevel.READ_COMMITTED, registry)) {
      final List<TopicPartition> partitions = new ArrayList<>();
      for (final String topic : filter.topics()) {
        for (final PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(15))) {
          partitions.add(new TopicPartition(topic, p.partition()));
        }
      }
      consumer.assign(partitions);
      final Map<TopicPartition, Long> position = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
      if (fromEarliest) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      for (final TopicPartition p : partitions) {
        if (resume.containsKey(p)) {
          consumer.seek(p, resume.get(p));
        }
        position.put(p, consumer.position(p));
      }
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
      exchange.getResponseHeaders().add("Cache-Control", "no-cache");
      exchange.sendResponseHeaders(200, 0);
      final OutputStream out = exchange.getResponseBody();
      out.write((": outpost alert stream\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      long lastWrite = System.nanoTime();
      while (true) {
        for (final ConsumerRecord<String, Alert> r : consumer.poll(Duration.ofMillis(500))) {
          position.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
          if (r.value() != null && filter.matches(r.value())) {
            final String event =
                "id: " + formatId(position) + "\nevent: alert\ndata: " + AvroJson.toJsonLine(r.value()) + "\n\n";
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
            lastWrite = System.nanoTime();
          }
        }
        if (System.nanoTime() - lastWrite > KEEPALIVE.toNanos()) {
          out.write(": keepalive\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          lastWrite = System.nanoTime();
        }
      }
    } catch (final IOException e) {
      LOG.debug("Alert stream closed by the client: {}", e.getMessage());
    }
  }

  /**
   * @param position the next offset of every partition read
   * @return the event id: {@code <category number>-<partition>-<offset>} for each, dot-separated
   */
  static String formatId(final Map<TopicPartition, Long> position) {
    final List<String> parts = new ArrayList<>();
    position.forEach((p, offset) -> parts.add(categoryNumber(p.topic()) + "-" + p.partition() + "-" + offset));
    return String.join(".", parts);
  }

  /**
   * @param id a {@code Last-Event-ID}, or null
   * @return the positions it holds
   * @throws IllegalArgumentException when it is not one this server wrote
   */
  static Map<TopicPartition, Long> parseId(final String id) {
    final Map<TopicPartition, Long> position = new HashMap<>();
    if (id == null || id.isBlank()) {
      return position;
    }
    // Trailing separators are ignored, as they always have been ("0-1-5." reads as "0-1-5"):
    // dropped here, so that the splits below keep every field.
    final String parts = id.trim().replaceFirst("\\.+$", "");
    if (parts.isEmpty()) {
      return position;
    }
    for (final String part : parts.split("\\.", -1)) {
      final String[] fields = part.replaceFirst("-+$", "").split("-", -1);
      try {
        if (fields.length != 3) {
          throw new NumberFormatException(part);
        }
        final int category = Integer.parseInt(fields[0]);
        final String topic = Topics.alertTopicFor(ID_CATEGORIES.get(category)).name();
        position.put(new TopicPartition(topic, Integer.parseInt(fields[1])), Long.parseLong(fields[2]));
      } catch (final NumberFormatException | IndexOutOfBoundsException e) {
        throw new IllegalArgumentException("Last-Event-ID '" + id + "' is not an id this stream sent", e);
      }
    }
    return position;
  }

  private static int categoryNumber(final String topic) {
    for (final Category c : Category.values()) {
      if (Topics.alertTopicFor(c).name().equals(topic)) {
        final int number = ID_CATEGORIES.indexOf(c);
        if (number < 0) {
          throw new IllegalStateException(c + " has no number for event ids: add it to ID_CATEGORIES");
        }
        return number;
      }
    }
    throw new IllegalStateException("Not an alert topic: " + topic);
  }

  /**
   * @param query the query parameters
   * @return the filter they give
   * @throws IllegalArgumentException naming the parameter that is wrong
   */
  static AlertFilter filter(final Map<String, List<String>> query) {
    final Set<Category> categories = EnumSet.noneOf(Category.class);
    query.getOrDefault("category", List.of()).forEach(c -> categories.add(AlertFilter.category(c)));
    final List<String> actors = new ArrayList<>();
    query.getOrDefault("actor", List.of()).forEach(a -> actors.addAll(List.of(a.split(","))));
    final String min = first(query, "min_confidence");
    final double confidence;
    try {
      confidence = min == null ? 0.0 : Double.parseDouble(min);
    } catch (final NumberFormatException e) {
      throw new IllegalArgumentException("min_confidence '" + min + "' is not a number", e);
    }
    final String perStory = first(query, "per_story");
    if (perStory != null && !perStory.equalsIgnoreCase("true") && !perStory.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException("per_story '" + perStory + "' is not true or false");
    }
    return new AlertFilter(
        categories,
        Set.copyOf(actors),
        confidence,
        query.getOrDefault("keyword", List.of()),
        "true".equalsIgnoreCase(perStory));
  }

  private static String first(final Map<String, List<String>> query, final String name) {
    final List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * @param raw a URL's raw query, or null
   * @return its parameters, decoded, each with its values in order
   */
  static Map<String, List<String>> query(final String raw) {
    final Map<String, List<String>> query = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (final String pair : raw.split("&", -1)) {
      if (pair.isEmpty()) {
        continue; // "a=1&" or "a=1&&b=2": an empty pair names no parameter
      }
      final int eq = pair.indexOf('=');
      final String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      final String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return query;
  }

  private static void plain(final HttpExchange exchange, final int status, final String message) throws IOException {
    final byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }
}
