package dev.outpost.ops;

import dev.outpost.clients.ClientsException;
import dev.outpost.clients.ReadCursor;
import dev.outpost.clients.ReadRequest;
import dev.outpost.clients.RecordHandler;
import dev.outpost.clients.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead letters by reason, counted from the dead-letter topics themselves: the live one and every
 * namespace's copy ({@code <namespace>.<topic>}). Every process that serves the dashboard shows
 * the same counts, whoever wrote the dead letters and whenever, unlike the counters of the
 * pipeline in this process, which start at zero with it.
 *
 * <p>A thread of its own reads each topic from its beginning once, then what was added since, read
 * committed (a dead letter of an aborted transaction was never written). The reason is the value
 * of a header; a record without it counts as {@value #NO_REASON}. A topic that is deleted (a replay
 * namespace removed) leaves the counts.
 */
public final class DeadLetterCounts implements AutoCloseable {

  /** The reason of a dead letter that has no reason header. */
  public static final String NO_REASON = "unknown";

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterCounts.class);
  private static final Duration READ_DEADLINE = Duration.ofSeconds(10);

  /**
   * What has been counted so far.
   *
   * @param read whether every dead-letter topic has been read to its end at least once; until
   *     then, no counts do not mean no dead letters
   * @param byTopic per topic, per reason, how many dead letters it holds
   * @param readAtMs when the counts were last brought up to date, in epoch milliseconds, or 0
   * @param error why the last reading failed, or null
   */
  public record Snapshot(boolean read, Map<String, Map<String, Long>> byTopic, long readAtMs, String error) {

    /** @return per reason, how many dead letters all the topics hold */
    public Map<String, Long> byReason() {
      final Map<String, Long> sum = new TreeMap<>();
      byTopic.values().forEach(reasons -> reasons.forEach((reason, n) -> sum.merge(reason, n, Long::sum)));
      return sum;
    }

    /** @return how many dead letters all the topics hold */
    public long total() {
      return byReason().values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final String topic;
  private final String reasonHeader;
  private final Clock clock;
  private final TopicReader<byte[], byte[]> reader;
  private final Map<String, Map<Integer, Long>> positions = new HashMap<>();
  private final Map<String, Map<String, Long>> counts = new TreeMap<>();
  private volatile Snapshot snapshot = new Snapshot(false, Map.of(), 0, null);
  private volatile java.util.function.Consumer<Snapshot> listener = s -> {};
  private ScheduledExecutorService worker;
  private Future<?> task;

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}; a {@code group.id} is
   *     left out, as nothing is committed
   * @param topic the dead-letter topic's name; {@code <namespace>.<topic>} are counted too
   * @param reasonHeader the header whose value is a dead letter's reason
   * @param clock when the counts are said to be read
   */
  public DeadLetterCounts(
      final Map<String, Object> kafkaProperties, final String topic, final String reasonHeader, final Clock clock) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.reasonHeader = Objects.requireNonNull(reasonHeader, "reasonHeader");
    this.clock = Objects.requireNonNull(clock, "clock");
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.reader = TopicReader.create(props, IsolationLevel.READ_COMMITTED, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * @param name a topic's name
   * @return whether it is the dead-letter topic or a namespace's copy of it
   */
  boolean counts(final String name) {
    return name.equals(topic) || name.endsWith("." + topic);
  }

  /**
   * @param onRefresh told the counts after each refresh that read every topic, on the thread that
   *     refreshed (such as {@link DeadLetterSurges}); set before {@link #start}
   * @return this
   */
  public DeadLetterCounts onRefresh(final java.util.function.Consumer<Snapshot> onRefresh) {
    listener = Objects.requireNonNull(onRefresh, "onRefresh");
    return this;
  }

  /** @return what has been counted so far */
  public Snapshot snapshot() {
    return snapshot;
  }

  /**
   * Brings the counts up to date: finds the dead-letter topics, drops those gone, and reads what
   * each holds past where the last refresh stopped. Not for use while {@link #start} runs.
   *
   * @return the counts
   */
  public synchronized Snapshot refresh() {
    try {
      final Set<String> present = reader.consumer().listTopics(READ_DEADLINE).keySet();
      positions.keySet().removeIf(name -> !present.contains(name));
      counts.keySet().removeIf(name -> !present.contains(name));
      for (final String name : present) {
        if (counts(name)) {
          readNew(name);
        }
      }
      snapshot = new Snapshot(true, copy(counts), clock.millis(), null);
    } catch (final KafkaException | ClientsException e) {
      if (e instanceof WakeupException || e instanceof InterruptException) {
        throw e;
      }
      LOG.warn("Could not count the dead letters: {}", e.getMessage());
      snapshot = new Snapshot(snapshot.read(), snapshot.byTopic(), snapshot.readAtMs(), String.valueOf(e.getMessage()));
      return snapshot;
    }
    try {
      listener.accept(snapshot);
    } catch (final RuntimeException e) {
      LOG.warn("Could not act on the dead-letter counts: {}", e.toString());
    }
    return snapshot;
  }

  private void readNew(final String name) {
    // Counted apart and added once the read reached the end, with the position it reached: a read
    // that fails half-way is done again whole, never counted twice.
    final Map<String, Long> found = new HashMap<>();
    final ReadCursor<byte[], byte[]> cursor =
        reader.open(ReadRequest.fromBeginning(name, READ_DEADLINE).startingAt(positions.getOrDefault(name, Map.of())));
    final RecordHandler<byte[], byte[]> count =
        r -> {
          final Header h = r.headers().lastHeader(reasonHeader);
          final String reason = h == null || h.value() == null ? NO_REASON : new String(h.value(), StandardCharsets.UTF_8);
          found.merge(reason, 1L, Long::sum);
        };
    while (cursor.poll(count)) {
      // Each poll counts what it brought; the cursor says when the end is reached.
    }
    final Map<Integer, Long> next = new HashMap<>();
    for (final Map.Entry<TopicPartition, Long> e : cursor.positions().entrySet()) {
      next.put(e.getKey().partition(), e.getValue());
    }
    positions.put(name, next);
    final Map<String, Long> reasons = counts.computeIfAbsent(name, n -> new TreeMap<>());
    found.forEach((reason, n) -> reasons.merge(reason, n, Long::sum));
  }

  private static Map<String, Map<String, Long>> copy(final Map<String, Map<String, Long>> counts) {
    final Map<String, Map<String, Long>> copy = new TreeMap<>();
    counts.forEach((name, reasons) -> copy.put(name, Map.copyOf(reasons)));
    return java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * Refreshes on a thread of its own until closed, at once and then every interval.
   *
   * @param interval time between the end of one refresh and the start of the next
   * @return this
   */
  public synchronized DeadLetterCounts start(final Duration interval) {
    if (worker != null) {
      throw new IllegalStateException("already started");
    }
    worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              final Thread t = new Thread(r, "outpost-dead-letters");
              t.setDaemon(true);
              return t;
            });
    task =
        worker.scheduleWithFixedDelay(
                () -> {
                  try {
                    refresh();
                  } catch (final WakeupException | InterruptException e) {
                    // Closing: the worker is being shut down.
                  } catch (final RuntimeException e) {
                    LOG.warn("Could not count the dead letters: {}", e.getMessage());
                  }
                },
                0,
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
    return this;
  }

  /** Stops the refreshes, waking one in progress, and closes the consumer. */
  @Override
  public void close() {
    final ScheduledExecutorService running;
    synchronized (this) {
      running = worker;
    }
    if (running != null) {
      task.cancel(false);
      reader.wakeup();
      running.shutdownNow();
      try {
        if (!running.awaitTermination(5, TimeUnit.SECONDS)) {
          LOG.warn("The dead-letter counter did not stop within 5 s");
        }
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Under the lock refresh() holds: a refresh the worker did not finish within the wait above
    // ends before the consumer, which is not thread-safe, is closed.
    synchronized (this) {
      reader.close(Duration.ofSeconds(1));
    }
  }
}
