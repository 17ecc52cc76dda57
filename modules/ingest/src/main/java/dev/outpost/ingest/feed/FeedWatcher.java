package dev.outpost.ingest.feed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.clients.TopicReader;
import dev.outpost.ingest.IngestException;
import dev.outpost.ingest.InputLimit;
import dev.outpost.ingest.ItemSizeLimit;
import dev.outpost.ingest.NewsPublisher;
import dev.outpost.ingest.ParsedItems;
import dev.outpost.ingest.internal.FeedParser;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.model.net.OutboundPolicy;
import dev.outpost.model.net.Urls;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls feeds and publishes what is new. Each poll is a conditional GET (If-None-Match,
 * If-Modified-Since), so an unchanged feed costs a 304. The ids already published and the
 * validators are kept per feed in the compacted topic {@code outpost.watch.state.v1}, not in a
 * local file, so a restarted watcher, on this machine or another, publishes nothing twice.
 *
 * <p>What a feed's state remembers is bounded by the feed, not by a constant: every id of its
 * latest fetch, and as many of the ids that have since dropped out of it as the fetch lists (at
 * least {@value #MIN_DROPPED}), newest first, so an item that comes back, as when a server serves
 * an older copy of the feed, is not published again. Each id is remembered as the first 64 bits
 * of its SHA-256, 8 bytes, so the state of a feed of 12,000 items and as many dropped ones is some
 * 256 KB, well inside a Kafka record; a feed that lists more than {@value #MAX_REMEMBERED} items is
 * refused with a message rather than half remembered.
 *
 * <p>A feed that fails (an HTTP error, no answer, XML that is not a feed) is retried after its
 * interval doubled for each failure in a row, up to an hour; its health is published as metrics.
 * Feeds are fetched by {@link FeedFetcher}, each wait bounded, so one slow feed holds the others up
 * for a bounded time only.
 *
 * <p>A feed's URL may carry credentials or a token: whatever leaves the watcher (the default
 * source of its items, log lines, metric tags, the key of its state) names it as {@link
 * Urls#redact} shows it; the state's key adds the SHA-256 of the whole URL, to tell such feeds
 * apart.
 */
public final class FeedWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FeedWatcher.class);
  /** The fewest ids that dropped out of a feed that are kept, for feeds of fewer items. */
  static final int MIN_DROPPED = 1_000;

  /**
   * The most ids one feed's state holds: 8 bytes each, in base64, some 910 KB, below the 1 MiB
   * that a producer sends and a topic takes by default.
   */
  static final int MAX_REMEMBERED = 85_000;

  /** A producer's default {@code max.request.size}, set explicitly: the state is sized to it. */
  private static final int MAX_STATE_RECORD_BYTES = 1_048_576;
  private static final Duration MAX_BACKOFF = Duration.ofHours(1);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What is remembered of one feed, as JSON.
   *
   * @param etag the last ETag, or null
   * @param lastModified the last Last-Modified, or null
   * @param seen the ids themselves, as states were written before {@code ids}; read, not written
   * @param ids the remembered ids' 64-bit hashes, oldest first, 8 bytes each, in base64
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record FeedState(String etag, String lastModified, List<String> seen, String ids) {}

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
    /** The URL as shown: without credentials or query. */
    final String shown;
    /**
     * Its key in the state topic: the URL itself, or, when it carries credentials or a query, the
     * shown URL and the SHA-256 of the whole, so no secret is written to Kafka.
     */
    final String stateKey;
    /** Its state was found under the whole URL, as written before: to be removed there. */
    boolean legacyKey;
    String etag;
    String lastModified;
    /** The remembered ids' hashes, oldest first; the latest fetch's ids are the newest. */
    LinkedHashSet<Long> remembered = new LinkedHashSet<>();
    int lastPublished;
    int failures;
    long nextPollMs;
    long lastSuccessMs;

    Feed(final String url) {
      this.url = url;
      this.shown = Urls.redact(url);
      this.stateKey = shown.equals(url) ? url : shown + " sha256:" + sha256(url);
    }
  }

  private final Map<String, Feed> feeds = new ConcurrentHashMap<>();
  private final Map<String, Object> kafkaProperties;
  private final NewsPublisher publisher;
  private final KafkaProducer<String, String> stateWriter;
  private final OutboundPolicy outbound;
  private final InputLimit limit;
  private final ItemSizeLimit sizeLimit;
  private final Duration interval;
  private final Clock clock;

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param registry where the item schema goes
   * @param urls the feeds
   * @param interval time between polls of a healthy feed
   * @param clock the time polls are due by
   * @param meters where each feed's health is published
   * @param outbound which addresses the feeds, and their redirects, may be at
   * @param limit the most bytes a feed's body may hold; a longer one fails the poll unread
   * @param sizeLimit the largest item's record to publish; a larger item is named in the log and
   *     left out
   */
  public FeedWatcher(
      final Map<String, Object> kafkaProperties,
      final SchemaRegistryClient registry,
      final List<String> urls,
      final Duration interval,
      final Clock clock,
      final MeterRegistry meters,
      final OutboundPolicy outbound,
      final InputLimit limit,
      final ItemSizeLimit sizeLimit) {
    this.outbound = outbound;
    this.limit = limit;
    this.sizeLimit = sizeLimit;
    this.kafkaProperties = Map.copyOf(kafkaProperties);
    this.publisher = new NewsPublisher(kafkaProperties, registry);
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_STATE_RECORD_BYTES);
    this.stateWriter = TopicSerdes.producer(Topics.WATCH_STATE, props);
    this.interval = interval;
    this.clock = clock;
    final Set<String> tags = new HashSet<>();
    for (final String url : urls) {
      final Feed feed = new Feed(url);
      feeds.put(url, feed);
      // Two feeds that differ only in credentials or query look alike once redacted; a counter
      // keeps their meters apart.
      String tag = feed.shown;
      for (int n = 2; !tags.add(tag); n++) {
        tag = feed.shown + " #" + n;
      }
      Gauge.builder("outpost.feed.up", feed, f -> f.failures == 0 && f.lastSuccessMs > 0 ? 1 : 0)
          .tag("feed", tag)
          .description("1 when the feed's last poll succeeded")
          .register(meters);
      Gauge.builder("outpost.feed.consecutive.failures", feed, f -> f.failures).tag("feed", tag).register(meters);
      Gauge.builder("outpost.feed.seconds.since.success", feed, f -> f.lastSuccessMs == 0 ? -1 : (clock.millis() - f.lastSuccessMs) / 1000.0)
          .tag("feed", tag)
          .register(meters);
    }
    restore();
  }

  /** Reads what earlier watchers remembered. */
  private void restore() {
    final Map<String, String> latest = TopicReader.readState(kafkaProperties, Topics.WATCH_STATE.name());
    for (final Feed feed : feeds.values()) {
      String json = latest.get(feed.stateKey);
      if (json == null && !feed.stateKey.equals(feed.url)) {
        // Written before secret-bearing URLs were keyed by their hash: taken over, and removed
        // at the next save.
        json = latest.get(feed.url);
        feed.legacyKey = json != null;
      }
      if (json == null) {
        continue;
      }
      try {
        final FeedState state = JSON.readValue(json, FeedState.class);
        feed.etag = state.etag();
        feed.lastModified = state.lastModified();
        feed.remembered = new LinkedHashSet<>();
        if (state.seen() != null) {
          state.seen().forEach(id -> feed.remembered.add(hash(id)));
        }
        if (state.ids() != null) {
          final ByteBuffer hashes = ByteBuffer.wrap(Base64.getDecoder().decode(state.ids()));
          while (hashes.remaining() >= Long.BYTES) {
            feed.remembered.add(hashes.getLong());
          }
        }
      } catch (final IOException e) {
        LOG.warn("Ignoring unreadable watch state for {}: {}", feed.shown, e.getMessage());
      }
    }
  }

  /**
   * Polls every feed that is due.
   *
   * @return how many new items were published
   */
  public int pollDue() {
    int published = 0;
    for (final Feed feed : feeds.values()) {
      if (feed.nextPollMs <= clock.millis() && poll(feed.url) == Outcome.PUBLISHED) {
        published += feed.lastPublished;
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
      final Map<String, String> conditional = new LinkedHashMap<>();
      if (feed.etag != null) {
        conditional.put("If-None-Match", feed.etag);
      }
      if (feed.lastModified != null) {
        conditional.put("If-Modified-Since", feed.lastModified);
      }
      final FeedFetcher.Response response = FeedFetcher.fetch(url, conditional, outbound, limit, FeedFetcher.BODY_DEADLINE);
      if (response.status() == 304) {
        if (feed.legacyKey) {
          save(feed);
        }
        return succeeded(feed, Outcome.UNCHANGED);
      }
      if (response.status() / 100 != 2) {
        return failed(feed, "HTTP " + response.status());
      }
      final ParsedItems parsed =
          FeedParser.parse(feed.shown, response.body(), response.contentType(), feed.shown, feed.shown, clock.instant());
      final LinkedHashSet<Long> latest = new LinkedHashSet<>();
      final List<NewsItem> fresh = new ArrayList<>();
      for (final NewsItem item : parsed.items()) {
        final long id = hash(item.getId());
        if (latest.add(id) && !feed.remembered.contains(id)) {
          final String refusal = sizeLimit.refusal(item);
          if (refusal == null) {
            fresh.add(item);
          } else {
            // Remembered with the rest of this fetch, so it is named once rather than every poll.
            LOG.warn("Not publishing from {}: {}", feed.shown, refusal);
          }
        }
      }
      if (latest.size() > MAX_REMEMBERED) {
        return failed(
            feed,
            "it lists " + latest.size() + " items, more than the " + MAX_REMEMBERED
                + " one feed's watch state can remember; nothing was published from it");
      }
      if (!fresh.isEmpty()) {
        publisher.publish(fresh, done -> { });
      }
      feed.lastPublished = fresh.size();
      if (!latest.isEmpty()) {
        // An empty fetch says nothing about what was published: it forgets nothing.
        feed.remembered = remember(feed.remembered, latest);
      }
      feed.etag = response.headers().firstValue("ETag").orElse(null);
      feed.lastModified = response.headers().firstValue("Last-Modified").orElse(null);
      save(feed);
      if (!fresh.isEmpty()) {
        LOG.info("Published {} new item(s) from {}", fresh.size(), feed.shown);
      }
      return succeeded(feed, fresh.isEmpty() ? Outcome.UNCHANGED : Outcome.PUBLISHED);
    } catch (final IllegalArgumentException | IngestException e) {
      // Each message names the feed as shown: the fetcher's and the parser's were given no other.
      return failed(feed, e.getMessage());
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
    LOG.warn("Feed {} failed ({} in a row), next try in {} s: {}", feed.shown, feed.failures, backoff / 1000, why);
    return Outcome.FAILED;
  }

  /**
   * @param before what was remembered, oldest first
   * @param latest the ids of the latest fetch
   * @return the ids that dropped out of the feed, the newest as many as it lists (at least {@value
   *     #MIN_DROPPED}, within {@value #MAX_REMEMBERED} in all), then the latest fetch's
   */
  static LinkedHashSet<Long> remember(final LinkedHashSet<Long> before, final LinkedHashSet<Long> latest) {
    final List<Long> dropped = new ArrayList<>();
    for (final Long id : before) {
      if (!latest.contains(id)) {
        dropped.add(id);
      }
    }
    final int keep = Math.min(Math.max(latest.size(), MIN_DROPPED), MAX_REMEMBERED - latest.size());
    final LinkedHashSet<Long> after = new LinkedHashSet<>(dropped.subList(Math.max(0, dropped.size() - keep), dropped.size()));
    after.addAll(latest);
    return after;
  }

  /** The first 64 bits of the id's SHA-256: 8 bytes, whatever the id's length. */
  static long hash(final String id) {
    return ByteBuffer.wrap(digest(id)).getLong();
  }

  private static String sha256(final String text) {
    return java.util.HexFormat.of().formatHex(digest(text));
  }

  private static byte[] digest(final String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }

  private void save(final Feed feed) {
    try {
      final ByteBuffer hashes = ByteBuffer.allocate(feed.remembered.size() * Long.BYTES);
      feed.remembered.forEach(hashes::putLong);
      final String value =
          JSON.writeValueAsString(new FeedState(feed.etag, feed.lastModified, null, Base64.getEncoder().encodeToString(hashes.array())));
      stateWriter.send(new ProducerRecord<>(Topics.WATCH_STATE.name(), feed.stateKey, value)).get(30, TimeUnit.SECONDS);
      if (feed.legacyKey) {
        // The old record holds the whole URL in its key: a tombstone lets compaction drop it.
        stateWriter.send(new ProducerRecord<>(Topics.WATCH_STATE.name(), feed.url, null)).get(30, TimeUnit.SECONDS);
        feed.legacyKey = false;
      }
    } catch (final Exception e) {
      throw new IllegalStateException("Cannot save the watch state of " + feed.shown + ": " + e.getMessage(), e);
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
