package dev.outpost.ops.lag;

import dev.outpost.clients.ClientsException;
import dev.outpost.clients.ConsumerGroupLag;
import dev.outpost.clients.DurationText;
import dev.outpost.clients.LogEnd;
import dev.outpost.clients.RecordScan;
import dev.outpost.clients.TopicAdmin;
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
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsResult;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples consumer groups' committed offsets against the log ends, keeps a window of samples per
 * partition, and judges each with {@link StatusRules}. The lag is {@link ConsumerGroupLag} against
 * {@link LogEnd#LAST_STABLE_OFFSET}, in records: a {@link RecordScan} from each committed offset
 * tells the transaction markers after a caught-up group's last record from records it has yet to
 * read. Every group is read with a handful of calls, whatever their number.
 *
 * <p><b>Lag in seconds</b> is how long ago the first record the group has yet to read arrived in
 * the log, never the record's own timestamp: on the news and alert topics that is when the news
 * happened, years ago in a replay. The monitor notes each log end it sees and when; an offset the
 * end passed between two samples arrived in between, interpolated, as kafka-lag-exporter does. One
 * that was in the log before the monitor first looked is extrapolated back at the rate the end has
 * moved since, or, on a topic that has not moved, taken to have arrived when the monitor first
 * looked: a lower bound that grows as long as the group does not read it, so there is no cap.
 *
 * <p><b>Ageing out.</b> A group without members whose offsets have not moved for {@link
 * StatusRules#emptyAge()}, or without members and all of whose topics are gone, leaves the
 * report: {@link #latest()} and {@link #sample} no longer list it, and listeners hear of it.
 *
 * <p><b>Listeners</b> ({@link #onChange}) hear every change of a group's status and every group
 * that ages out, on the sampling thread.
 */
public final class LagMonitor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LagMonitor.class);
  private static final int HISTORY = 360;

  /** A log-end offset seen at a time. */
  private record EndSeen(long timeMs, long end) {}

  /** A group's total lag at one sample. */
  private record Point(long timeMs, long lag) {}

  /** What the monitor remembers of one group between samples. */
  private static final class Tracked {
    private final Map<TopicPartition, Deque<Sample>> windows = new HashMap<>();
    private final Deque<Point> points = new ArrayDeque<>();
    private Map<TopicPartition, Long> committed = Map.of();
    private long quietSince = -1;
    private LagStatus status;
    private String agedOut;
  }

  private final Admin admin;
  private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> reader;
  private final Object servers;
  private final StatusRules rules;
  private final Clock clock;
  private final Duration timeout;
  private final Map<String, Tracked> tracked = new HashMap<>();
  private final Map<TopicPartition, Deque<EndSeen>> ends = new HashMap<>();
  private final Map<String, GroupLag> latest = new ConcurrentHashMap<>();
  private final List<Consumer<StatusChange>> listeners = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService sampler;

  /**
   * A monitor whose calls to the cluster wait {@link TopicAdmin#REACH_TIMEOUT_MS} at most.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param rules how statuses are judged
   * @param clock the time samples are taken at
   */
  public LagMonitor(final Map<String, Object> kafkaProperties, final StatusRules rules, final Clock clock) {
    this(kafkaProperties, rules, clock, Duration.ofMillis(TopicAdmin.REACH_TIMEOUT_MS));
  }

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param rules how statuses are judged
   * @param clock the time samples are taken at
   * @param timeout how long one sample may wait for the cluster
   */
  public LagMonitor(final Map<String, Object> kafkaProperties, final StatusRules rules, final Clock clock, final Duration timeout) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    final int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    this.servers = props.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    this.rules = Objects.requireNonNull(rules, "rules");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.admin = Admin.create(props);
    try {
      this.reader = RecordScan.reader(kafkaProperties);
    } catch (final RuntimeException e) {
      admin.close(Duration.ZERO);
      throw e;
    }
    this.timeout = timeout;
  }

  /**
   * @param listener told of every status change and every group that ages out, on the thread that
   *     samples; it must not block for long
   * @return this monitor
   */
  public LagMonitor onChange(final Consumer<StatusChange> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Takes one sample of the groups.
   *
   * @param groups the groups to sample; empty for every consumer group
   * @return the groups that have not aged out, by id
   * @throws dev.outpost.clients.ClusterAccessException when the cluster cannot be reached within
   *     the timeout, or refuses these settings
   * @throws ClientsException when the cluster refused for another reason
   */
  public synchronized List<GroupLag> sample(final Collection<String> groups) {
    final long now = clock.millis();
    final long deadline = System.nanoTime() + timeout.toNanos();
    final Read read;
    try {
      read = TopicAdmin.withAdmin(admin, servers, (a, s) -> read(groups, deadline));
    } catch (final ClientsException e) {
      // Nothing could be read: the groups watched are in error, rather than shown as they last were.
      final Set<String> affected = new TreeSet<>(groups.isEmpty() ? latest.keySet() : groups);
      for (final String group : affected) {
        final Tracked t = tracked.computeIfAbsent(group, g -> new Tracked());
        if (t.agedOut == null) {
          latest.put(group, report(group, t, "UNKNOWN", 0, List.of(), new StatusRules.Verdict(LagStatus.ERROR, "the offsets could not be read: " + e.getMessage()), now));
        }
      }
      throw e;
    }
    final List<GroupLag> result = new ArrayList<>();
    for (final String group : read.ids()) {
      final GroupLag lag = judge(group, read, now);
      if (lag == null) {
        latest.remove(group);
      } else {
        latest.put(group, lag);
        result.add(lag);
      }
    }
    // Groups deleted from the cluster are forgotten, and so is what was seen of them.
    if (groups.isEmpty()) {
      tracked.keySet().retainAll(read.ids());
      latest.keySet().retainAll(read.ids());
    }
    // So are the log ends of partitions no group sampled has any more (a deleted namespace's
    // topics, a group gone): a monitor that runs for months would otherwise keep them all.
    final Set<TopicPartition> live = new java.util.HashSet<>();
    read.lags().groups().values().forEach(g -> g.partitions().forEach(p -> live.add(p.partition())));
    ends.keySet().retainAll(live);
    return result;
  }

  /**
   * Groups of tools run now and then, which keep their place in a group between runs: {@code
   * outpost dlq redrive} ({@code outpost-dlq-redrive}, and {@code .NAME} in a namespace) and a
   * dispatcher's {@code --redeliver} ({@code <group>-redeliver}). Between runs they have no members
   * and fall behind as new dead letters or parked alerts arrive, as they should: that is not lag,
   * and an operator paged STOP for it learns to ignore the page. Left out of "every group"; asked
   * for by name, they are sampled as any other.
   */
  private static final java.util.regex.Pattern ON_DEMAND = java.util.regex.Pattern.compile("outpost-dlq-redrive(\\..+)?|.+-redeliver");

  /**
   * @param group a consumer group id
   * @return whether it is the group of a tool run now and then, left out when every group is
   *     sampled
   */
  static boolean isOnDemand(final String group) {
    return ON_DEMAND.matcher(group).matches();
  }

  /** What one sample read from the cluster. */
  private record Read(List<String> ids, Map<String, ConsumerGroupDescription> described, Map<String, String> failed, ConsumerGroupLag.All lags) {}

  private Read read(final Collection<String> groups, final long deadline) throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    final Set<String> ids = new TreeSet<>(groups);
    if (ids.isEmpty()) {
      for (final GroupListing g : admin.listGroups(ListGroupsOptions.forConsumerGroups().timeoutMs(millisLeft(deadline))).all().get(millisLeft(deadline), TimeUnit.MILLISECONDS)) {
        if (!isOnDemand(g.groupId())) {
          ids.add(g.groupId());
        }
      }
    }
    if (ids.isEmpty()) {
      return new Read(List.of(), Map.of(), Map.of(), new ConsumerGroupLag.All(Map.of(), Map.of()));
    }
    final DescribeConsumerGroupsResult described = admin.describeConsumerGroups(ids, new DescribeConsumerGroupsOptions().timeoutMs(millisLeft(deadline)));
    final Map<String, ConsumerGroupDescription> descriptions = new HashMap<>();
    final Map<String, String> failed = new HashMap<>();
    for (final String id : ids) {
      try {
        descriptions.put(id, described.describedGroups().get(id).get(millisLeft(deadline), TimeUnit.MILLISECONDS));
      } catch (final ExecutionException e) {
        failed.put(id, rootMessage(e));
      }
    }
    final Duration left = Duration.ofMillis(millisLeft(deadline));
    ConsumerGroupLag.All lags = ConsumerGroupLag.readAll(admin, ids, LogEnd.LAST_STABLE_OFFSET, left);
    // Markers are told from records with what time is left, five seconds at most: on a timeout
    // the offsets not read yet count as records, so lag is never under-stated.
    final Duration scan = Duration.ofMillis(Math.min(5_000, millisLeft(deadline)));
    lags = lags.countingRecordsOnly(reader, RecordScan.DEFAULT_LIMIT, scan);
    return new Read(List.copyOf(ids), descriptions, failed, lags);
  }

  private GroupLag judge(final String group, final Read read, final long now) {
    final Tracked t = tracked.computeIfAbsent(group, g -> new Tracked());
    final ConsumerGroupDescription d = read.described().get(group);
    final ConsumerGroupLag lag = read.lags().groups().get(group);
    String error = read.failed().get(group);
    if (error == null && read.lags().failed().containsKey(group)) {
      error = rootMessage(read.lags().failed().get(group));
    }
    if (error != null || d == null || lag == null) {
      final String why = error == null ? "the group could not be read" : error;
      LOG.warn("Cannot read the offsets of group {}: {}", group, why);
      return report(group, t, "UNKNOWN", 0, List.of(), new StatusRules.Verdict(LagStatus.ERROR, "the offsets could not be read: " + why), now);
    }
    final int members = d.members().size();
    final Map<TopicPartition, Long> committed = new HashMap<>();
    lag.partitions().forEach(p -> committed.put(p.partition(), p.committed().orElse(-1)));
    if (members > 0 || !committed.equals(t.committed) || t.quietSince < 0) {
      t.quietSince = now;
    }
    t.committed = Map.copyOf(committed);
    final String agedOut = agedOut(lag, members, now - t.quietSince);
    if (agedOut != null) {
      if (t.agedOut == null) {
        LOG.info("Group {} aged out of the lag report: {}", group, agedOut);
        tell(new StatusChange(group, t.status, null, agedOut, 0, 0, now));
        t.agedOut = agedOut;
        t.windows.clear();
        t.points.clear();
        t.status = null;
      }
      return null;
    }
    t.agedOut = null;
    final List<PartitionLag> partitions = new ArrayList<>();
    StatusRules.Verdict worst = null;
    TopicPartition worstAt = null;
    t.windows.keySet().retainAll(committed.keySet());
    for (final ConsumerGroupLag.Partition p : lag.partitions()) {
      final TopicPartition tp = p.partition();
      final long c = p.committed().orElse(-1);
      final Deque<EndSeen> seen = ends.computeIfAbsent(tp, k -> new ArrayDeque<>());
      if (seen.isEmpty() || seen.peekLast().end() != p.end()) {
        seen.addLast(new EndSeen(now, p.end()));
        while (seen.size() > HISTORY) {
          seen.removeFirst();
        }
      }
      final Sample sample = new Sample(now, c, p.end(), members > 0, null, p.skipped());
      final Deque<Sample> window = t.windows.computeIfAbsent(tp, k -> new ArrayDeque<>());
      window.addLast(sample);
      while (window.size() > rules.window()) {
        window.removeFirst();
      }
      final StatusRules.Verdict verdict = rules.judge(List.copyOf(window));
      final double seconds = sample.lag() == 0 ? 0 : secondsSince(seen, p.next(), now);
      partitions.add(new PartitionLag(tp.topic(), tp.partition(), c, p.end(), sample.lag(), seconds, verdict.status(), verdict.reason()));
      if (worst == null || verdict.status().severity() > worst.status().severity()) {
        worst = verdict;
        worstAt = tp;
      }
    }
    final StatusRules.Verdict verdict;
    if (worst == null) {
      verdict = new StatusRules.Verdict(LagStatus.OK, lag.gone().isEmpty() ? "no committed offsets" : "its topics were deleted: " + topicsOf(lag.gone()));
    } else if (worst.status() == LagStatus.OK && partitions.size() > 1) {
      verdict = new StatusRules.Verdict(LagStatus.OK, partitions.stream().allMatch(p -> p.lagRecords() == 0) ? "caught up" : "every partition OK; " + worstAt + ": " + worst.reason());
    } else {
      verdict = new StatusRules.Verdict(worst.status(), worstAt + ": " + worst.reason());
    }
    return report(group, t, String.valueOf(d.groupState()), members, partitions, verdict, now);
  }

  private String agedOut(final ConsumerGroupLag lag, final int members, final long quietMs) {
    if (members > 0) {
      return null;
    }
    if (lag.partitions().isEmpty() && !lag.gone().isEmpty()) {
      return "no members, and its topics were deleted: " + topicsOf(lag.gone());
    }
    if (lag.partitions().isEmpty()) {
      // Kafka drops a group's offsets of deleted topics: nothing is left to be behind on.
      return "no members and no committed offsets (were its topics deleted?)";
    }
    if (quietMs >= rules.emptyAge().toMillis() && quietMs > 0) {
      // In whole seconds, written as Outpost writes every duration it prints ("11m", "90s").
      return "no members and no commits for "
          + DurationText.format(Duration.ofSeconds(Duration.ofMillis(quietMs).toSeconds()))
          + " (the limit is "
          + DurationText.format(rules.emptyAge())
          + ")";
    }
    return null;
  }

  private GroupLag report(
      final String group,
      final Tracked t,
      final String state,
      final int members,
      final List<PartitionLag> partitions,
      final StatusRules.Verdict verdict,
      final long now) {
    final long records = partitions.stream().mapToLong(PartitionLag::lagRecords).sum();
    final double seconds = partitions.stream().mapToDouble(PartitionLag::lagSeconds).max().orElse(0);
    t.points.addLast(new Point(now, records));
    while (t.points.size() > rules.window()) {
      t.points.removeFirst();
    }
    final Point first = t.points.peekFirst();
    final double drain = now > first.timeMs() ? (first.lag() - records) * 1000.0 / (now - first.timeMs()) : 0;
    final Double catchUp = records == 0 ? Double.valueOf(0) : drain > 0 ? Double.valueOf(records / drain) : null;
    final List<Long> trend = t.points.stream().map(Point::lag).toList();
    final LagStatus before = t.status;
    t.status = verdict.status();
    if (before != verdict.status() && (before != null || verdict.status() != LagStatus.OK)) {
      tell(new StatusChange(group, before, verdict.status(), verdict.reason(), records, seconds, now));
    }
    return new GroupLag(group, state, members, verdict.status(), verdict.reason(), records, seconds, drain, catchUp, trend, partitions);
  }

  /** Seconds since the offset arrived in the log, as the log ends seen over time place it. */
  private static double secondsSince(final Deque<EndSeen> seen, final long offset, final long now) {
    final EndSeen first = seen.peekFirst();
    if (offset < first.end()) {
      // In the log before the monitor first looked: back at the rate the end has moved since.
      final EndSeen last = seen.peekLast();
      double arrived = first.timeMs();
      if (last.timeMs() > first.timeMs() && last.end() > first.end()) {
        final double perMs = (double) (last.end() - first.end()) / (last.timeMs() - first.timeMs());
        arrived = first.timeMs() - (first.end() - offset) / perMs;
      }
      return Math.max(0, (now - arrived) / 1000.0);
    }
    EndSeen before = first;
    for (final EndSeen s : seen) {
      if (s.end() > offset) {
        // The end passed the offset between the two looks.
        final double fraction = (double) (offset - before.end() + 1) / (s.end() - before.end());
        final double arrived = before.timeMs() + fraction * (s.timeMs() - before.timeMs());
        return Math.max(0, (now - arrived) / 1000.0);
      }
      before = s;
    }
    // At or past the end: nothing there to wait for.
    return 0;
  }

  private void tell(final StatusChange change) {
    for (final Consumer<StatusChange> l : listeners) {
      try {
        l.accept(change);
      } catch (final RuntimeException e) {
        LOG.warn("A lag listener failed on {}: {}", change, e.toString());
      }
    }
  }

  private static String topicsOf(final List<TopicPartition> partitions) {
    return String.join(", ", partitions.stream().map(TopicPartition::topic).collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
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

  /** @return the last sample of every group watched that has not aged out, by id */
  public List<GroupLag> latest() {
    final List<GroupLag> all = new ArrayList<>(latest.values());
    all.sort(Comparator.comparing(GroupLag::group));
    return all;
  }

  /** @return the groups that aged out of the report, by id, each with why */
  public synchronized Map<String, String> agedOut() {
    final Map<String, String> out = new TreeMap<>();
    tracked.forEach((id, t) -> {
      if (t.agedOut != null) {
        out.put(id, t.agedOut);
      }
    });
    return out;
  }

  private static int millisLeft(final long deadline) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
  }

  private static String rootMessage(final Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  @Override
  public void close() {
    if (sampler != null) {
      sampler.shutdownNow();
      try {
        // The interrupt ends a sample under way at its next wait; let it, so the clients close after.
        if (!sampler.awaitTermination(2, TimeUnit.SECONDS)) {
          LOG.warn("The lag sampler did not stop within 2 s of being told to");
        }
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      reader.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(1)));
      admin.close(Duration.ofSeconds(1));
    }
  }
}
