package dev.outpost.cli.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls feeds and publishes what is new. Each poll is a conditional GET (If-None-Match,
 * If-Modified-Since), so an unchanged feed costs a 304. The ids already published and the
 * validators are kept per feed in the compacted topic {@code outpost.watch.state.v1}, not in a
 * local file, so a restarted watcher, on this machine or another, publishes nothing twice.
 *
 * <p>A feed that fails (an HTTP error, no answer, XML that is not a feed) is retried after its
 * interval doubled for each failure in a row, up to an hour; its health is published as metrics.
 */
public final class FeedWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FeedWatcher.class);
  private static final int REMEMBERED_IDS = 5_000;
  private static final Duration MAX_BACKOFF = Duration.ofHours(1);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What is remembered of one feed. */
  record FeedState(String etag, String lastModified, List<String> seen) {}

  /** What one poll did. */
  public enum Outcome {
    /** New items were published. */
    PUBLISHED,
    /** The feed answered, with nothing new. */
    UNCHANGED,
    /** The feed failed. */
    FAILED
  }

  /** The live state of one feed. */
  private static final class Feed {
    final String url;
    String etag;
    String lastModified;
    final Deque<String> seen = new ArrayDeque<>();
    final LinkedHashSet<String> seenSet = new LinkedHashSet<>();
    int failures;
    long nextPollMs;
    long lastSuccessMs;

    Feed(final String url) {
      this.url = url;
    }
  }

  private final Map<String, Feed> feeds = new ConcurrentHashMap<>();
  private final Map<String, Object> kafkaProperties;
  private final NewsPublisher publisher;
  private final KafkaProducer<String, String> stateWriter;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).followRedirects(HttpClient.Redirect.NORMAL).build();
  private final Duration interval;
  private final Clock clock;
  private final InputLimit limit;
  private final ItemSizeLimit sizeLimit;

  /**
   * A watcher that reads feed bodies up to {@link InputLimit#DEFAULT}.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param registry where the item schema goes
   * @param urls the feeds
   * @param interval time between polls of a healthy feed
   * @param clock the time polls are due by
   * @param meters where each feed's health is published
   */
  public FeedWatcher(
      final Map<String, Object> kafkaProperties,
      final SchemaRegistryClient registry,
      final List<String> urls,
      final Duration interval,
      final Clock clock,
      final MeterRegistry meters) {
    this(kafkaProperties, registry, urls, interval, clock, meters, InputLimit.DEFAULT);
  }

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param registry where the item schema goes
   * @param urls the feeds
   * @param interval time between polls of a healthy feed
   * @param clock the time polls are due by
   * @param meters where each feed's health is published
   * @param limit the most bytes a feed's body may hold; a longer one fails the poll unread
   */
  public FeedWatcher(
      final Map<String, Object> kafkaProperties,
      final SchemaRegistryClient registry,
      final List<String> urls,
      final Duration interval,
      final Clock clock,
      final MeterRegistry meters,
      final InputLimit limit) {
    this.limit = limit;
    this.sizeLimit = ItemSizeLimit.of(kafkaProperties);
    this.kafkaProperties = Map.copyOf(kafkaProperties);
    this.publisher = new NewsPublisher(kafkaProperties, registry);
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.stateWriter = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    this.interval = interval;
    this.clock = clock;
    for (final String url : urls) {
      final Feed feed = new Feed(url);
      feeds.put(url, feed);
      Gauge.builder("outpost.feed.up", feed, f -> f.failures == 0 && f.lastSuccessMs > 0 ? 1 : 0)
          .tag("feed", url)
          .description("1 when the feed's last poll succeeded")
          .register(meters);
      Gauge.builder("outpost.feed.consecutive.failures", feed, f -> f.failures).tag("feed", url).register(meters);
      Gauge.builder("outpost.feed.seconds.since.success", feed, f -> f.lastSuccessMs == 0 ? -1 : (clock.millis() - f.lastSuccessMs) / 1000.0)
          .tag("feed", url)
          .register(meters);
    }
    restore();
  }

  /** Reads what earlier watchers remembered. */
  private void restore() {
    KafkaAccess.readLatest(kafkaProperties, Topics.WATCH_STATE.name())
        .forEach(
            (url, json) -> {
              final Feed feed = feeds.get(url);
              if (feed == null) {
                return;
              }
              try {
                final FeedState state = JSON.readValue(json, FeedState.class);
                feed.etag = state.etag();
                feed.lastModified = state.lastModified();
                feed.seen.clear();
                feed.seenSet.clear();
                state.seen().forEach(id -> remember(feed, id));
              } catch (final IOException e) {
                LOG.warn("Ignoring unreadable watch state for {}: {}", url, e.getMessage());
              }
            });
  }

  /**
   * Polls every feed that is due.
   *
   * @return how many new items were published
   */
  public int pollDue() {
    int published = 0;
    for (final Feed feed : feeds.values()) {
      if (feed.nextPollMs <= clock.millis()) {
        final int before = feed.seen.size();
        if (poll(feed.url) == Outcome.PUBLISHED) {
          published += Math.max(0, feed.seen.size() - before);
        }
      }
    }
    return published;
  }

  /**
   * Polls one feed now, whether due or not.
   *
   * @param url the feed
   * @return what happened
   */
  public Outcome poll(final String url) {
    final Feed feed = feeds.get(url);
    try {
      final HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("User-Agent", "outpost");
      if (feed.etag != null) {
        request.header("If-None-Match", feed.etag);
      }
      if (feed.lastModified != null) {
        request.header("If-Modified-Since", feed.lastModified);
      }
      final HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      final byte[] body;
      // Closing the body before its end drops the connection, so a refused body is not read on.
      try (InputStream in = response.body()) {
        if (response.statusCode() == 304) {
          return succeeded(feed, Outcome.UNCHANGED);
        }
        if (response.statusCode() / 100 != 2) {
          return failed(feed, "HTTP " + response.statusCode());
        }
        body = limit.read(in, "GET " + url, response.headers().firstValueAsLong("Content-Length"));
      }
      final ParsedItems parsed =
          FeedParser.parse(url, new String(body, StandardCharsets.UTF_8), url, clock.instant());
      final List<NewsItem> fresh = new ArrayList<>();
      for (final NewsItem item : parsed.items()) {
        if (!feed.seenSet.contains(item.getId())) {
          final String refusal = sizeLimit.refusal(item);
          if (refusal == null) {
            fresh.add(item);
          } else {
            // Remembered, so it is named once rather than on every poll.
            LOG.warn("Not publishing from {}: {}", url, refusal);
            remember(feed, item.getId());
          }
        }
      }
      if (!fresh.isEmpty()) {
        publisher.publish(fresh, done -> { });
        fresh.forEach(item -> remember(feed, item.getId()));
      }
      feed.etag = response.headers().firstValue("ETag").orElse(null);
      feed.lastModified = response.headers().firstValue("Last-Modified").orElse(null);
      save(feed);
      if (!fresh.isEmpty()) {
        LOG.info("Published {} new item(s) from {}", fresh.size(), url);
      }
      return succeeded(feed, fresh.isEmpty() ? Outcome.UNCHANGED : Outcome.PUBLISHED);
    } catch (final IllegalArgumentException | InputLimit.InputTooLargeException e) {
      return failed(feed, e.getMessage());
    } catch (final IOException e) {
      return failed(feed, "no answer: " + e.getMessage());
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(feed, "interrupted");
    }
  }

  private Outcome succeeded(final Feed feed, final Outcome outcome) {
    feed.failures = 0;
    feed.lastSuccessMs = clock.millis();
    feed.nextPollMs = clock.millis() + interval.toMillis();
    return outcome;
  }

  private Outcome failed(final Feed feed, final String why) {
    feed.failures++;
    final long backoff = Math.min(MAX_BACKOFF.toMillis(), interval.toMillis() << Math.min(20, feed.failures));
    feed.nextPollMs = clock.millis() + backoff;
    LOG.warn("Feed {} failed ({} in a row), next try in {} s: {}", feed.url, feed.failures, backoff / 1000, why);
    return Outcome.FAILED;
  }

  private static void remember(final Feed feed, final String id) {
    if (feed.seenSet.add(id)) {
      feed.seen.addLast(id);
      while (feed.seen.size() > REMEMBERED_IDS) {
        feed.seenSet.remove(feed.seen.removeFirst());
      }
    }
  }

  private void save(final Feed feed) {
    try {
      final String value = JSON.writeValueAsString(new FeedState(feed.etag, feed.lastModified, List.copyOf(feed.seen)));
      stateWriter.send(new ProducerRecord<>(Topics.WATCH_STATE.name(), feed.url, value)).get(30, TimeUnit.SECONDS);
    } catch (final Exception e) {
      throw new IllegalStateException("Cannot save the watch state of " + feed.url + ": " + e.getMessage(), e);
    }
  }

  /**
   * @param url a feed
   * @return its failures in a row
   */
  public int failures(final String url) {
    return feeds.get(url).failures;
  }

  /**
   * @param url a feed
   * @return when it is next due, in epoch milliseconds
   */
  public long nextPollMs(final String url) {
    return feeds.get(url).nextPollMs;
  }

  @Override
  public void close() {
    publisher.close();
    stateWriter.close();
  }
}
