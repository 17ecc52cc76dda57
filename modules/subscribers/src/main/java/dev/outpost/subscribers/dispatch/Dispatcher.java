package dev.outpost.subscribers.dispatch;

import dev.outpost.clients.ConsumerSettings;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.KafkaTarget;
import dev.outpost.model.Subscription;
import dev.outpost.model.Topics;
import dev.outpost.model.WebhookTarget;
import dev.outpost.model.net.OutboundRefusedException;
import dev.outpost.model.net.Urls;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import dev.outpost.registry.serde.WireFormatException;
import dev.outpost.subscribers.AvroJson;
import dev.outpost.subscribers.SecretCipher;
import dev.outpost.subscribers.SecretCipherException;
import dev.outpost.subscribers.SubscriptionStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts to the subscriptions that want them: a POST to each matching webhook, or a
 * record on each matching Kafka topic. It runs as a consumer group over the alert topics and its
 * own retry topics.
 *
 * <p><b>Nothing lost.</b> A record's offset is committed only once every delivery it started is
 * done: delivered, handed to a retry topic, or parked, each acknowledged by the broker. A crash
 * replays the rest, so delivery is at least once; receivers deduplicate with the {@code
 * Idempotency-Key} header, the alert id.
 *
 * <p><b>No subscriber holds up another.</b> Each subscription has its own lane: a queue and a
 * thread. A failed delivery does not wait in the lane; it goes to the retry topic whose delay fits
 * its backoff, and comes back when due. When a lane is full (a slow subscriber), new deliveries
 * for it go to the shortest retry topic instead of waiting, so the consumer moves on.
 *
 * <p><b>Failures.</b> 5xx, 408 and timeouts are retried with exponential backoff and jitter; 429
 * honours {@code Retry-After}. After {@link DispatchSettings#maxAttempts()} attempts or {@link
 * DispatchSettings#maxAge()}, or on any other 4xx, the alert is parked in the group's parking
 * topic, from which {@link Redeliverer} sends it again. A webhook that answers 410 Gone is
 * disabled (its subscription is rewritten with the reason) and the alert parked.
 *
 * <p><b>Where it sends.</b> Each webhook's host is resolved and checked against {@link
 * DispatchSettings#outbound()} right before every attempt, since what a name resolves to can
 * change: an internal address (loopback, private, link-local...) not on the allow-list parks the
 * alert with the reason. Redirects are not followed: a 3xx answer parks the alert too.
 *
 * <p><b>Secrets.</b> Webhook secrets are stored encrypted; the {@link SecretCipher} decrypts one
 * for each signature. A dispatcher that cannot decrypt an enabled webhook's secret when it starts
 * refuses to start; one added later that it cannot decrypt has its alerts parked. URLs are shown
 * in logs and reasons without credentials or query ({@link Urls#redact}).
 *
 * <p><b>Ops events.</b> It also reads {@link Topics#OPS_EVENTS}, events about Outpost itself (a
 * consumer group's lag status changed), and delivers each to the subscriptions that ask for ops
 * events ({@code SubscriptionFilter.events}), whatever the rest of their filter: the JSON object
 * as it is, with the event's id as {@code Idempotency-Key}, retried and parked as alerts are.
 *
 * <p><b>Metrics.</b> {@link #bindTo(MeterRegistry)} publishes {@code outpost.dispatch.parked}
 * per subscription, and the delivered, retried and deferred totals.
 */
public final class Dispatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final com.fasterxml.jackson.databind.ObjectMapper OPS_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  static final String H_SUBSCRIPTION = "outpost.dispatch.subscription";
  static final String H_ATTEMPTS = "outpost.dispatch.attempts";
  static final String H_FIRST = "outpost.dispatch.first-attempt";
  static final String H_NOT_BEFORE = "outpost.dispatch.not-before";
  static final String H_ERROR = "outpost.dispatch.last-error";

  /** On a retry or a parked record: {@value #KIND_OPS} when it holds an ops event, not an alert. */
  static final String H_KIND = "outpost.dispatch.kind";

  static final String KIND_OPS = "ops";

  private final DispatchSettings settings;
  private final SecretCipher cipher;
  private final Clock clock;
  private final SubscriptionView view;
  private final SubscriptionStore store;
  private final Deserializer<Alert> alerts;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final HttpClient http;
  private final OffsetTracker tracker = new OffsetTracker();
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Long> pausedUntil = new HashMap<>();
  private final Set<String> retryTopics = new HashSet<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAdder deferred = new LongAdder();
  private final LongAdder parked = new LongAdder();
  private final Map<String, LongAdder> parkedBySubscription = new ConcurrentHashMap<>();
  private volatile MeterRegistry meters;
  private volatile Thread runner;
  private volatile RuntimeException failure;

  /**
   * One delivery of one event, an alert or an ops event, to one subscription.
   *
   * @param subscription who it goes to
   * @param bytes the record's value as read: what a Kafka target gets
   * @param id the event's id: the alert id, or the ops event's {@code eventId}
   * @param json what a webhook gets
   * @param ops whether it is an ops event
   * @param attempts attempts so far
   * @param firstAttempt when the first was made
   * @param source the record's partition
   * @param offset the record's offset
   */
  private record Delivery(
      Subscription subscription,
      byte[] bytes,
      String id,
      byte[] json,
      boolean ops,
      int attempts,
      long firstAttempt,
      TopicPartition source,
      long offset) {}

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param registry where the alert and subscription schemas are
   * @param settings how to deliver
   * @param cipher decrypts webhook secrets
   * @param clock the time, for backoff and ages
   */
  public Dispatcher(
      final Map<String, Object> kafkaProperties,
      final SchemaRegistryClient registry,
      final DispatchSettings settings,
      final SecretCipher cipher,
      final Clock clock) {
    this.settings = settings;
    this.cipher = cipher;
    this.clock = clock;
    this.view = new SubscriptionView(kafkaProperties, registry);
    this.store = new SubscriptionStore(kafkaProperties, registry, cipher);
    // Every alert topic has the same value type. The consumer below reads alerts and retries as
    // bytes, to pass them on as they are; each alert is read into a record once, here.
    this.alerts = TopicSerdes.valueSerde(Topics.ALERTS_MILITARY_EXERCISE, registry).deserializer();
    final Map<String, Object> consumerProps = new HashMap<>(kafkaProperties);
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, settings.group());
    this.consumer =
        new KafkaConsumer<>(
            ConsumerSettings.safe(consumerProps, IsolationLevel.READ_COMMITTED), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    // One producer for the retry and parking topics and the subscribers' own topics: every one of
    // them takes an id as key and an alert's bytes as they were read.
    this.producer = TopicSerdes.producer(Topics.dispatchParked(settings.group()), kafkaProperties);
    // Never follow a redirect: its target would go unchecked.
    this.http =
        HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    Topics.DISPATCH_RETRY_DELAYS.forEach(d -> retryTopics.add(Topics.dispatchRetry(settings.group(), d).name()));
  }

  /**
   * Delivers until {@link #close()}: call it on a thread of its own.
   *
   * @throws InterruptedException if interrupted while starting
   */
  public void run() throws InterruptedException {
    view.start();
    if (!view.awaitCaughtUp(Duration.ofSeconds(60))) {
      throw new IllegalStateException("Could not read " + Topics.SUBSCRIPTIONS.name() + " within 60 s");
    }
    requireSecrets();
    final List<String> topics = new ArrayList<>();
    for (final Category c : Category.values()) {
      topics.add(Topics.alertTopicFor(c).name());
    }
    topics.add(Topics.OPS_EVENTS.name());
    topics.addAll(retryTopics);
    consumer.subscribe(topics, new Rebalance());
    long lastCommit = System.nanoTime();
    try {
      while (!closed.get()) {
        resumeDue();
        final Set<TopicPartition> waiting = new HashSet<>();
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          final TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (waiting.contains(tp)) {
            continue;
          }
          if (retryTopics.contains(r.topic())) {
            final long notBefore = longHeader(r.headers(), H_NOT_BEFORE, 0);
            if (notBefore > clock.millis()) {
              // Not due: every record behind it in this topic is due later still.
              consumer.pause(Set.of(tp));
              consumer.seek(tp, r.offset());
              pausedUntil.put(tp, notBefore);
              waiting.add(tp);
              continue;
            }
            retry(r, tp);
          } else {
            fresh(r, tp);
          }
        }
        if (System.nanoTime() - lastCommit > TimeUnit.MILLISECONDS.toNanos(200)) {
          commit();
          lastCommit = System.nanoTime();
        }
      }
    } catch (final WakeupException e) {
      if (!closed.get()) {
        throw e;
      }
    } finally {
      commit();
    }
  }

  /** Refuses to start when an enabled webhook's secret cannot be decrypted: every alert for it would be parked. */
  private void requireSecrets() {
    final List<String> problems = new ArrayList<>();
    for (final Subscription s : view.all()) {
      if (s.getEnabled() && s.getTarget() instanceof WebhookTarget) {
        try {
          cipher.secretOf(s);
        } catch (final SecretCipherException e) {
          problems.add(e.getMessage());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(String.join("; ", problems));
    }
  }

  private void fresh(final ConsumerRecord<byte[], byte[]> r, final TopicPartition tp) {
    if (Topics.OPS_EVENTS.name().equals(r.topic())) {
      final String id = opsEventId(r, tp);
      if (id == null) {
        return;
      }
      final List<Subscription> matching = view.matchingOps();
      tracker.read(tp, r.offset(), matching.size());
      final long now = clock.millis();
      for (final Subscription s : matching) {
        submit(new Delivery(s, r.value(), id, r.value(), true, 0, now, tp, r.offset()));
      }
      return;
    }
    final Alert alert = read(r, tp);
    if (alert == null) {
      return;
    }
    final List<Subscription> matching = view.matching(alert);
    tracker.read(tp, r.offset(), matching.size());
    final long now = clock.millis();
    final byte[] json = AvroJson.toJsonLine(alert).getBytes(StandardCharsets.UTF_8);
    for (final Subscription s : matching) {
      submit(new Delivery(s, r.value(), alert.getAlertId(), json, false, 0, now, tp, r.offset()));
    }
  }

  /** The id of the ops event a record holds; null, with the record finished, when it holds none. */
  private String opsEventId(final ConsumerRecord<byte[], byte[]> r, final TopicPartition tp) {
    try {
      final com.fasterxml.jackson.databind.JsonNode event = OPS_JSON.readTree(r.value());
      final String id = event == null ? null : event.path("eventId").asText(null);
      if (id != null) {
        return id;
      }
      LOG.warn("Skipping an ops event without an eventId at {}@{}", tp, r.offset());
    } catch (final IOException e) {
      LOG.warn("Skipping an ops event that is not JSON at {}@{}: {}", tp, r.offset(), e.getMessage());
    }
    tracker.read(tp, r.offset(), 0);
    return null;
  }

  /** The alert a record holds; null, with the record finished, when there is none to deliver. */
  private Alert read(final ConsumerRecord<byte[], byte[]> r, final TopicPartition tp) {
    try {
      final Alert alert = alerts.deserialize(r.topic(), r.value());
      if (alert == null) {
        tracker.read(tp, r.offset(), 0);
      }
      return alert;
    } catch (final RuntimeException e) {
      WireFormatException.transientIn(e).ifPresent(w -> {
        // The registry is down or refuses us: the alert is fine, and skipping it would lose its
        // deliveries. Stop; nothing from this offset on is committed, so a restart resumes here.
        throw new IllegalStateException(
            "Cannot read the alert at " + tp + "@" + r.offset() + ": " + w.getMessage() + ". Nothing was skipped", w);
      });
      LOG.warn("Skipping unreadable alert at {}@{}: {}", tp, r.offset(), e.getMessage());
      tracker.read(tp, r.offset(), 0);
      return null;
    }
  }

  private void retry(final ConsumerRecord<byte[], byte[]> r, final TopicPartition tp) {
    final String id = stringHeader(r.headers(), H_SUBSCRIPTION);
    final Subscription s = id == null ? null : view.get(id);
    if (s == null || !s.getEnabled()) {
      LOG.info("Dropping a retry for subscription {}: it was removed or disabled", id);
      tracker.read(tp, r.offset(), 0);
      return;
    }
    final int attempts = (int) longHeader(r.headers(), H_ATTEMPTS, 0);
    if (KIND_OPS.equals(stringHeader(r.headers(), H_KIND))) {
      final String eventId = opsEventId(r, tp);
      if (eventId != null) {
        tracker.read(tp, r.offset(), 1);
        submit(new Delivery(s, r.value(), eventId, r.value(), true, attempts, longHeader(r.headers(), H_FIRST, clock.millis()), tp, r.offset()));
      }
      return;
    }
    final Alert alert = read(r, tp);
    if (alert == null) {
      return;
    }
    tracker.read(tp, r.offset(), 1);
    submit(
        new Delivery(
            s,
            r.value(),
            alert.getAlertId(),
            AvroJson.toJsonLine(alert).getBytes(StandardCharsets.UTF_8),
            false,
            attempts,
            longHeader(r.headers(), H_FIRST, clock.millis()),
            tp,
            r.offset()));
  }

  private void submit(final Delivery d) {
    final Lane lane = lanes.computeIfAbsent(d.subscription().getId(), Lane::new);
    if (!lane.queue.offer(d)) {
      deferred.increment();
      schedule(d, d.attempts(), Topics.DISPATCH_RETRY_DELAYS.get(0), "deferred: the subscriber is busy");
    }
  }

  /** A subscription's own queue and thread. */
  private final class Lane implements Runnable {
    private final BlockingQueue<Delivery> queue = new ArrayBlockingQueue<>(settings.laneCapacity());
    private final Thread thread;

    Lane(final String id) {
      thread = new Thread(this, "outpost-dispatch-" + id);
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void run() {
      while (!closed.get()) {
        final Delivery d;
        try {
          d = queue.poll(200, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
          return;
        }
        if (d != null) {
          try {
            attempt(d);
          } catch (final RuntimeException e) {
            // A bug must not kill the lane and strand the subscriber: retry the delivery instead.
            LOG.error("Delivering {} to {} failed", d.id(), d.subscription().getId(), e);
            failed(d, e.toString(), null);
          }
        }
      }
    }
  }

  private void attempt(final Delivery d) {
    final Subscription current = view.get(d.subscription().getId());
    final Subscription s = current != null ? current : d.subscription();
    if (!s.getEnabled()) {
      park(d, "the subscription is disabled: " + s.getDisabledReason());
      return;
    }
    if (s.getTarget() instanceof KafkaTarget k) {
      // The callback settles the delivery either way; the future adds nothing.
      final Future<RecordMetadata> unused =
          producer.send(
              new ProducerRecord<>(k.getTopic(), d.id(), d.bytes()),
              (meta, error) -> {
                if (error == null) {
                  done(d);
                } else {
                  failed(d, "Kafka: " + error.getMessage(), null);
                }
              });
      return;
    }
    final WebhookTarget w = (WebhookTarget) s.getTarget();
    final String shown = Urls.redact(w.getUrl());
    final URI uri;
    final String secret;
    try {
      uri = URI.create(w.getUrl());
      // Checked at every attempt, not only when the subscription was added: what the name
      // resolves to may have changed since.
      settings.outbound().check(uri);
      secret = cipher.secretOf(s);
    } catch (final IllegalArgumentException e) {
      park(d, shown + " is not a URL");
      return;
    } catch (final OutboundRefusedException | SecretCipherException e) {
      park(d, e.getMessage());
      return;
    } catch (final UnknownHostException e) {
      failed(d, "cannot resolve the host of " + shown, null);
      return;
    }
    final byte[] body = d.json();
    final HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(settings.requestTimeout())
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", d.id())
            .header("Outpost-Subscription", s.getId())
            .header("Outpost-Attempt", Integer.toString(d.attempts() + 1))
            .header(Signature.HEADER, Signature.sign(secret, clock.instant().getEpochSecond(), body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    final HttpResponse<Void> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (final IOException e) {
      failed(d, "no answer from " + shown + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + Urls.redact(e.getMessage())), null);
      return;
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    final int status = response.statusCode();
    if (status >= 200 && status < 300) {
      done(d);
    } else if (status == 410) {
      disable(s, "410 Gone from " + shown);
      park(d, "410 Gone");
    } else if (status == 429) {
      failed(d, "429 Too Many Requests", retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
    } else if (status == 408 || status >= 500) {
      failed(d, "HTTP " + status, null);
    } else if (status >= 300 && status < 400) {
      park(d, "HTTP " + status + ": redirects are not followed, so their target is never reached unchecked; subscribe the URL it redirects to");
    } else {
      park(d, "HTTP " + status + " will not change on a retry");
    }
  }

  private void done(final Delivery d) {
    delivered.increment();
    tracker.finished(d.source(), d.offset());
  }

  private void failed(final Delivery d, final String error, final Duration asked) {
    final int attempts = d.attempts() + 1;
    final long age = clock.millis() - d.firstAttempt();
    if (attempts >= settings.maxAttempts() || age > settings.maxAge().toMillis()) {
      park(d, error + " (after " + attempts + " attempt(s))");
      return;
    }
    Duration delay = asked;
    if (delay == null) {
      final long base = settings.backoff().toMillis() << Math.min(20, attempts - 1);
      // Full jitter on the upper half: between half the backoff and all of it.
      delay = Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }
    if (delay.compareTo(settings.maxBackoff()) > 0) {
      delay = settings.maxBackoff();
    }
    retried.increment();
    LOG.debug("Retrying {} for {} in {}: {}", d.id(), d.subscription().getId(), delay, error);
    schedule(d, attempts, delay, error);
  }

  /** Writes the delivery to the retry topic for its delay; the source record is done once it is acknowledged. */
  private void schedule(final Delivery d, final int attempts, final Duration delay, final String error) {
    Duration tier = Topics.DISPATCH_RETRY_DELAYS.get(0);
    for (final Duration t : Topics.DISPATCH_RETRY_DELAYS) {
      if (t.compareTo(delay) <= 0) {
        tier = t;
      }
    }
    final Headers headers = new RecordHeaders();
    put(headers, H_SUBSCRIPTION, d.subscription().getId());
    put(headers, H_ATTEMPTS, Integer.toString(attempts));
    put(headers, H_FIRST, Long.toString(d.firstAttempt()));
    put(headers, H_NOT_BEFORE, Long.toString(clock.millis() + delay.toMillis()));
    put(headers, H_ERROR, error);
    if (d.ops()) {
      put(headers, H_KIND, KIND_OPS);
    }
    write(Topics.dispatchRetry(settings.group(), tier).name(), d, headers);
  }

  private void park(final Delivery d, final String reason) {
    parked.increment();
    parkedCounter(d.subscription().getId()).increment();
    LOG.warn("Parking {} {} for subscription {}: {}", d.ops() ? "ops event" : "alert", d.id(), d.subscription().getId(), reason);
    final Headers headers = new RecordHeaders();
    put(headers, H_SUBSCRIPTION, d.subscription().getId());
    put(headers, H_ATTEMPTS, Integer.toString(d.attempts()));
    put(headers, H_FIRST, Long.toString(d.firstAttempt()));
    put(headers, H_ERROR, reason);
    if (d.ops()) {
      put(headers, H_KIND, KIND_OPS);
    }
    write(Topics.dispatchParked(settings.group()).name(), d, headers);
  }

  private void write(final String topic, final Delivery d, final Headers headers) {
    // The callback handles the result either way; the future adds nothing.
    final Future<RecordMetadata> unused =
        producer.send(
            new ProducerRecord<>(topic, null, d.subscription().getId(), d.bytes(), headers),
            (meta, error) -> {
              if (error == null) {
                tracker.finished(d.source(), d.offset());
              } else {
                // Not finished: the source record is not committed, and a restart delivers it again.
                LOG.error("Could not write {} {} to {}: {}", d.ops() ? "ops event" : "alert", d.id(), topic, error.getMessage());
              }
            });
  }

  private void disable(final Subscription s, final String reason) {
    LOG.warn("Disabling subscription {}: {}", s.getId(), reason);
    // The all-fields constructor: Avro's copying builder would deep-copy the nested records
    // through a class look-up that Avro 1.12 refuses for classes not on its allow-list.
    final Subscription off =
        new Subscription(s.getId(), s.getFilter(), s.getTarget(), s.getCreatedAt(), false, reason);
    view.update(off);
    try {
      store.put(off);
    } catch (final SecretCipherException e) {
      // A subscription from before encryption, and no key to encrypt it with: it stays disabled
      // in this process; writing it back would write its secret in plaintext.
      LOG.error("Could not store subscription {} as disabled: {}", s.getId(), e.getMessage());
    }
  }

  private static Duration retryAfter(final String value) {
    if (value == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
    } catch (final NumberFormatException e) {
      try {
        final Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return Duration.between(Instant.now(), at).isNegative() ? Duration.ZERO : Duration.between(Instant.now(), at);
      } catch (final DateTimeParseException e2) {
        return null;
      }
    }
  }

  private void resumeDue() {
    final long now = clock.millis();
    final List<TopicPartition> due = new ArrayList<>();
    pausedUntil.forEach((tp, until) -> {
      if (until <= now) {
        due.add(tp);
      }
    });
    if (!due.isEmpty()) {
      due.forEach(pausedUntil::remove);
      consumer.resume(due);
    }
  }

  private void commit() {
    final var offsets = tracker.committable();
    if (!offsets.isEmpty()) {
      consumer.commitSync(offsets);
    }
  }

  /** Commits what is finished before partitions move to another member. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
      commit();
      tracker.forget(partitions);
      partitions.forEach(pausedUntil::remove);
    }

    @Override
    public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
      // Nothing to do: the group's committed offsets, or the earliest for a new group.
    }
  }

  /**
   * @return counts so far: delivered, retried, deferred to a retry topic because the lane was
   *     full, and parked
   */
  public Map<String, Long> stats() {
    return Map.of(
        "delivered", delivered.sum(),
        "retried", retried.sum(),
        "deferred", deferred.sum(),
        "parked", parked.sum());
  }

  /**
   * Publishes the dispatcher's counts: {@code outpost.dispatch.parked} per subscription (tag
   * {@code subscription}), and {@code outpost.dispatch.delivered}, {@code .retried} and {@code
   * .deferred}. Counts start at zero when the process starts, as Prometheus counters do.
   *
   * @param registry where to publish them
   * @return this dispatcher
   */
  public Dispatcher bindTo(final MeterRegistry registry) {
    FunctionCounter.builder("outpost.dispatch.delivered", delivered, LongAdder::sum)
        .description("Alerts delivered to a webhook or topic")
        .register(registry);
    FunctionCounter.builder("outpost.dispatch.retried", retried, LongAdder::sum)
        .description("Deliveries scheduled for a retry after a failure")
        .register(registry);
    FunctionCounter.builder("outpost.dispatch.deferred", deferred, LongAdder::sum)
        .description("Deliveries moved to a retry topic because the subscriber's lane was full")
        .register(registry);
    meters = registry;
    parkedBySubscription.forEach((id, count) -> registerParked(registry, id, count));
    return this;
  }

  /**
   * @return alerts parked so far, by subscription id
   */
  public Map<String, Long> parkedBySubscription() {
    final Map<String, Long> counts = new java.util.TreeMap<>();
    parkedBySubscription.forEach((id, count) -> counts.put(id, count.sum()));
    return counts;
  }

  private LongAdder parkedCounter(final String subscription) {
    return parkedBySubscription.computeIfAbsent(
        subscription,
        id -> {
          final LongAdder count = new LongAdder();
          final MeterRegistry registry = meters;
          if (registry != null) {
            registerParked(registry, id, count);
          }
          return count;
        });
  }

  private static void registerParked(final MeterRegistry registry, final String subscription, final LongAdder count) {
    FunctionCounter.builder("outpost.dispatch.parked", count, LongAdder::sum)
        .tag("subscription", subscription)
        .description("Alerts parked: given up on, waiting for 'outpost dispatch --redeliver'")
        .register(registry);
  }

  private static void put(final Headers headers, final String name, final String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  static String stringHeader(final Headers headers, final String name) {
    final Header h = headers.lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static long longHeader(final Headers headers, final String name, final long fallback) {
    final String value = stringHeader(headers, name);
    try {
      return value == null ? fallback : Long.parseLong(value);
    } catch (final NumberFormatException e) {
      return fallback;
    }
  }

  /**
   * Runs {@link #run()} on a thread of its own.
   *
   * @return this dispatcher
   */
  public Dispatcher start() {
    runner =
        new Thread(
            () -> {
              try {
                run();
              } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (final RuntimeException e) {
                failure = e;
                LOG.error("The dispatcher stopped", e);
              } finally {
                release();
              }
            },
            "outpost-dispatch");
    runner.start();
    return this;
  }

  /** @return whether the dispatcher's thread is still delivering */
  public boolean isRunning() {
    return runner != null && runner.isAlive();
  }

  /** @return what stopped the dispatcher, if something did */
  public RuntimeException failure() {
    return failure;
  }

  /**
   * Stops consuming, commits what is finished, and stops the lanes; deliveries still under way are
   * not committed, so the next run delivers them again.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      consumer.wakeup();
    }
    if (runner != null) {
      try {
        runner.join(TimeUnit.SECONDS.toMillis(30));
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void release() {
    consumer.close();
    producer.close(Duration.ofSeconds(10));
    view.close();
    alerts.close();
  }
}
