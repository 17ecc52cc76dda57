package dev.outpost.ops.lag;

import dev.outpost.clients.ConsumerGroupLag;
import dev.outpost.clients.ConsumerSettings;
import dev.outpost.clients.LogEnd;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples consumer groups' committed offsets against the log ends, keeps a window of samples per
 * partition, and judges each with {@link StatusRules}. The lag itself is {@link ConsumerGroupLag}
 * against {@link LogEnd#LAST_STABLE_OFFSET}, the end dashboards should use.
 *
 * <p>Lag in seconds is the age of the record at the committed position. When the monitor has
 * watched the log end pass that offset, the time is interpolated between the two samples either
 * side, as kafka-lag-exporter does; otherwise it is read from the record's own timestamp.
 */
public final class LagMonitor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LagMonitor.class);
  private static final int HISTORY = 360;
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** A log-end offset seen at a time. */
  private record EndSeen(long timeMs, long end) {}

  private final Admin admin;
  private final KafkaConsumer<byte[], byte[]> reader;
  private final StatusRules rules;
  private final Clock clock;
  private final Map<String, Map<TopicPartition, Deque<Sample>>> windows = new HashMap<>();
  private final Map<TopicPartition, Deque<EndSeen>> ends = new HashMap<>();
  private final Map<String, GroupLag> latest = new ConcurrentHashMap<>();
  private ScheduledExecutorService sampler;

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param rules how statuses are judged
   * @param clock the time samples are taken at
   */
  public LagMonitor(final Map<String, Object> kafkaProperties, final StatusRules rules, final Clock clock) {
    this.admin = Admin.create(kafkaProperties);
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    // Read uncommitted, as this reader always was by Kafka's default: it reads the record at a
    // group's committed offset, of any topic, as bytes, for its timestamp alone.
    this.reader =
        new KafkaConsumer<>(
            ConsumerSettings.safe(props, IsolationLevel.READ_UNCOMMITTED), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.rules = rules;
    this.clock = clock;
  }

  /**
   * Takes one sample of the groups.
   *
   * @param groups the groups to sample; empty for every consumer group
   * @return the groups, by id
   */
  public synchronized List<GroupLag> sample(final Collection<String> groups) {
    final long now = clock.millis();
    final List<String> ids = new ArrayList<>(groups);
    try {
      if (ids.isEmpty()) {
        for (final GroupListing g :
            admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(15, TimeUnit.SECONDS)) {
          ids.add(g.groupId());
        }
      }
    } catch (final Exception e) {
      throw new IllegalStateException("Cannot list the consumer groups: " + rootMessage(e), e);
    }
    ids.sort(Comparator.naturalOrder());
    final List<GroupLag> result = new ArrayList<>();
    for (final String group : ids) {
      final GroupLag lag = sampleGroup(group, now);
      latest.put(group, lag);
      result.add(lag);
    }
    return result;
  }

  private GroupLag sampleGroup(final String group, final long now) {
    String state;
    int members;
    final Map<TopicPartition, Long> committed = new HashMap<>();
    final Map<TopicPartition, Long> end = new HashMap<>();
    String error = null;
    try {
      final ConsumerGroupDescription d =
          admin.describeConsumerGroups(List.of(group)).all().get(15, TimeUnit.SECONDS).get(group);
      state = String.valueOf(d.groupState());
      members = d.members().size();
      // Against the last stable offset: what a read_committed consumer (the pipeline runs exactly
      // once) can actually read now, so an upstream transaction still open is not lag.
      for (final ConsumerGroupLag.Partition p :
          ConsumerGroupLag.read(admin, group, LogEnd.LAST_STABLE_OFFSET, TIMEOUT).partitions()) {
        committed.put(p.partition(), p.committed().orElse(-1));
        end.put(p.partition(), p.end());
      }
    } catch (final Exception e) {
      error = rootMessage(e);
      LOG.warn("Cannot read the offsets of group {}: {}", group, error);
      state = "UNKNOWN";
      members = 0;
      committed.clear();
    }
    final Map<TopicPartition, Deque<Sample>> groupWindows = windows.computeIfAbsent(group, g -> new HashMap<>());
    final List<PartitionLag> partitions = new ArrayList<>();
    LagStatus status = error == null ? LagStatus.OK : LagStatus.ERROR;
    long totalRecords = 0;
    double maxSeconds = 0;
    final List<TopicPartition> sorted = new ArrayList<>(committed.keySet());
    sorted.sort(Comparator.comparing(TopicPartition::toString));
    for (final TopicPartition tp : sorted) {
      final long c = committed.get(tp);
      final long e = end.get(tp);
      final Deque<EndSeen> seen = ends.computeIfAbsent(tp, k -> new ArrayDeque<>());
      if (seen.isEmpty() || seen.peekLast().end() != e) {
        seen.addLast(new EndSeen(now, e));
        while (seen.size() > HISTORY) {
          seen.removeFirst();
        }
      }
      final Sample sample = new Sample(now, c, e, members > 0, null);
      final Deque<Sample> window = groupWindows.computeIfAbsent(tp, k -> new ArrayDeque<>());
      window.addLast(sample);
      while (window.size() > rules.window()) {
        window.removeFirst();
      }
      final LagStatus partitionStatus = rules.evaluate(List.copyOf(window));
      final double seconds = lagSeconds(tp, c, e, now);
      partitions.add(new PartitionLag(tp.topic(), tp.partition(), c, e, sample.lag(), seconds, partitionStatus));
      status = status.worst(partitionStatus);
      totalRecords += sample.lag();
      maxSeconds = Math.max(maxSeconds, seconds);
    }
    return new GroupLag(group, state, members, status, totalRecords, maxSeconds, List.copyOf(partitions));
  }

  private double lagSeconds(final TopicPartition tp, final long committed, final long end, final long now) {
    if (committed < 0 || committed >= end) {
      return 0;
    }
    EndSeen before = null;
    for (final EndSeen s : ends.get(tp)) {
      if (s.end() <= committed) {
        before = s;
      } else if (before != null) {
        final double fraction = (double) (committed - before.end()) / (s.end() - before.end());
        final double appended = before.timeMs() + fraction * (s.timeMs() - before.timeMs());
        return Math.max(0, (now - appended) / 1000.0);
      } else {
        break;
      }
    }
    // The log end passed this offset before the monitor was watching: ask the record itself.
    try {
      reader.assign(List.of(tp));
      reader.seek(tp, committed);
      for (final ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofSeconds(2))) {
        if (r.timestamp() > 0) {
          return Math.max(0, (now - r.timestamp()) / 1000.0);
        }
      }
    } catch (final RuntimeException e) {
      LOG.debug("Cannot read the record at {}@{}: {}", tp, committed, e.getMessage());
    }
    return 0;
  }

  /**
   * Samples on a thread of its own until closed.
   *
   * @param interval time between samples
   * @param groups the groups to watch; empty for all
   */
  public void startSampling(final Duration interval, final Collection<String> groups) {
    final List<String> watched = List.copyOf(groups);
    sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              final Thread t = new Thread(r, "outpost-lag-monitor");
              t.setDaemon(true);
              return t;
            });
    // The task logs its own failures, and close() stops it by shutting the sampler down.
    final ScheduledFuture<?> unused =
        sampler.scheduleWithFixedDelay(
            () -> {
              try {
                sample(watched);
              } catch (final RuntimeException e) {
                LOG.warn("Lag sample failed: {}", e.getMessage());
              }
            },
            0,
            interval.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** @return the last sample of every group watched, by id */
  public List<GroupLag> latest() {
    final List<GroupLag> all = new ArrayList<>(latest.values());
    all.sort(Comparator.comparing(GroupLag::group));
    return all;
  }

  private static String rootMessage(final Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  @Override
  public synchronized void close() {
    if (sampler != null) {
      sampler.shutdownNow();
    }
    reader.close();
    admin.close(Duration.ofSeconds(5));
  }
}
