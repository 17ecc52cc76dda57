package dev.outpost.clients;

import dev.outpost.clients.internal.AdminFutures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A consumer group's lag, the one definition every module uses: per partition, the group's
 * committed offset against the partition's end, where the end is the {@link LogEnd} the caller
 * chose. A partition the group has not committed yet has no lag to speak of: it is reported
 * without a committed offset, never as lag 0, and the caller decides what that means (a group
 * that has not started yet, or one that will start from the earliest record).
 *
 * <p>Reads with the admin client: {@code listConsumerGroupOffsets}, then {@code listOffsets} with
 * {@link OffsetSpec#latest()} at the isolation level of the chosen end. Nothing is read from the
 * topics themselves, so lag is in offsets: against the last stable offset of a transactional
 * topic, the commit marker after a caught-up group's last record counts as one.
 * {@link #countingRecordsOnly} takes what a {@link RecordScan} found to count records instead,
 * which is what a dashboard should show.
 *
 * @param group the consumer group
 * @param end what the partitions' ends were measured as
 * @param partitions each partition, in topic and partition order
 * @param gone partitions the group committed offsets for whose topic no longer exists (a deleted
 *     replay namespace, say), in order; they are not among {@code partitions}
 * @see LogEnd
 * @see RecordScan
 */
public record ConsumerGroupLag(String group, LogEnd end, List<Partition> partitions, List<TopicPartition> gone) {

  private static final Comparator<TopicPartition> ORDER =
      Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  /**
   * @param group the consumer group
   * @param end what the partitions' ends were measured as
   * @param partitions each partition
   * @param gone partitions whose topic no longer exists
   */
  public ConsumerGroupLag {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(end, "end");
    partitions = partitions.stream().sorted(Comparator.comparing(Partition::partition, ORDER)).toList();
    gone = gone.stream().sorted(ORDER).toList();
  }

  /**
   * A group none of whose topics is gone.
   *
   * @param group the consumer group
   * @param end what the partitions' ends were measured as
   * @param partitions each partition
   */
  public ConsumerGroupLag(final String group, final LogEnd end, final List<Partition> partitions) {
    this(group, end, partitions, List.of());
  }

  /**
   * The lag of several groups, read together.
   *
   * @param groups each group that could be read, by id
   * @param failed each group that could not, by id, with why
   */
  public record All(Map<String, ConsumerGroupLag> groups, Map<String, ClientsException> failed) {

    /**
     * @param groups each group that could be read
     * @param failed each group that could not
     */
    public All {
      groups = Map.copyOf(groups);
      failed = Map.copyOf(failed);
    }

    /**
     * Counts records, not offsets, between each committed offset and the end: one {@link
     * RecordScan} over every partition some group is behind on, from the lowest committed offset
     * of any group on it.
     *
     * @param reader a read_committed consumer ({@link RecordScan#reader})
     * @param limit offsets to read per partition at most
     * @param timeout how long the scan may take
     * @return the same groups, their lag in records
     * @throws IllegalStateException when the ends are high watermarks: a read_committed read
     *     cannot tell what lies past the last stable offset
     */
    public All countingRecordsOnly(final Consumer<byte[], byte[]> reader, final int limit, final Duration timeout) {
      final Map<TopicPartition, Long> from = new HashMap<>();
      final Map<TopicPartition, Long> ends = new HashMap<>();
      for (final ConsumerGroupLag g : groups.values()) {
        if (g.end() != LogEnd.LAST_STABLE_OFFSET) {
          throw new IllegalStateException("records are counted against the last stable offset, not " + g.end());
        }
        for (final Partition p : g.partitions()) {
          if (p.committed().isPresent() && p.committed().getAsLong() < p.end()) {
            from.merge(p.partition(), p.committed().getAsLong(), Math::min);
            ends.put(p.partition(), p.end());
          }
        }
      }
      final Map<TopicPartition, RecordScan.Found> found = RecordScan.scan(reader, from, ends, limit, timeout);
      final Map<String, ConsumerGroupLag> counted = new HashMap<>();
      groups.forEach((id, g) -> counted.put(id, g.countingRecordsOnly(found)));
      return new All(counted, failed);
    }
  }

  /**
   * @param found what a {@link RecordScan} found on the group's partitions
   * @return the same lag, with the offsets found to hold no record {@link Partition#skipped}
   */
  public ConsumerGroupLag countingRecordsOnly(final Map<TopicPartition, RecordScan.Found> found) {
    final List<Partition> counted = new ArrayList<>();
    for (final Partition p : partitions) {
      final RecordScan.Found f = found.get(p.partition());
      if (f == null || p.committed().isEmpty()) {
        counted.add(p);
      } else {
        final long c = p.committed().getAsLong();
        counted.add(new Partition(p.partition(), p.committed(), p.end(), f.skippedFrom(c), f.nextRecordFrom(c)));
      }
    }
    return new ConsumerGroupLag(group, end, counted, gone);
  }

  /**
   * One partition of the group.
   *
   * @param partition the partition
   * @param committed the group's committed offset, empty when it has committed none
   * @param end the partition's end offset, as the group's {@link LogEnd} defines it
   * @param skipped offsets between the committed offset and the end that a read found to hold no
   *     record a read_committed consumer is handed (transaction markers, records of aborted
   *     transactions); 0 unless {@link #countingRecordsOnly} counted them
   * @param next the offset of the first record the group has yet to be handed, as far as known:
   *     the committed offset unless a read found markers first, the end when it found no record
   *     before it; -1 without a committed offset
   */
  public record Partition(TopicPartition partition, OptionalLong committed, long end, long skipped, long next) {

    /**
     * @param partition the partition
     * @param committed the group's committed offset, empty when it has committed none
     * @param end the partition's end offset
     * @param skipped offsets known to hold no record, between the committed offset and the end
     * @param next the offset of the first record not yet handed to the group, or -1
     */
    public Partition {
      Objects.requireNonNull(partition, "partition");
      Objects.requireNonNull(committed, "committed");
      if (skipped < 0) {
        throw new IllegalArgumentException("skipped offsets cannot be negative, got " + skipped);
      }
    }

    /**
     * A partition as the admin client reports it, nothing read from it.
     *
     * @param partition the partition
     * @param committed the group's committed offset, empty when it has committed none
     * @param end the partition's end offset
     */
    public Partition(final TopicPartition partition, final OptionalLong committed, final long end) {
      this(partition, committed, end, 0, committed.orElse(-1));
    }

    /**
     * @return records between the committed offset and the end, never negative (a committed
     *     offset past the end, as after a topic was recreated, is 0 behind): every offset, less
     *     those found {@link #skipped}; empty without a committed offset
     */
    public OptionalLong lag() {
      return committed.isPresent() ? OptionalLong.of(Math.max(0, end - committed.getAsLong() - skipped)) : OptionalLong.empty();
    }
  }

  /**
   * @return the lag summed over the partitions that have a committed offset
   */
  public long totalLag() {
    return partitions.stream().map(Partition::lag).filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong).sum();
  }

  /**
   * @return the partitions the group has no committed offset for
   */
  public List<TopicPartition> uncommitted() {
    return partitions.stream().filter(p -> p.committed().isEmpty()).map(Partition::partition).toList();
  }

  /**
   * The lag of every partition the group has committed an offset for.
   *
   * @param admin an admin client of the cluster
   * @param group the consumer group
   * @param end which end to measure against; see {@link LogEnd} for which to choose
   * @param timeout how long both admin calls together may take
   * @return the group's lag; no partitions when it has committed nothing
   * @throws ClientsException when the cluster refused or did not answer in time; the cause is
   *     Kafka's
   */
  public static ConsumerGroupLag read(final Admin admin, final String group, final LogEnd end, final Duration timeout) {
    return read(admin, group, null, end, timeout);
  }

  /**
   * The lag of the given partitions, whether the group has committed offsets for them or not; its
   * other partitions are left out.
   *
   * @param admin an admin client of the cluster
   * @param group the consumer group
   * @param partitions the partitions to report
   * @param end which end to measure against; see {@link LogEnd} for which to choose
   * @param timeout how long both admin calls together may take
   * @return the group's lag on those partitions
   * @throws ClientsException when the cluster refused or did not answer in time; the cause is
   *     Kafka's
   */
  public static ConsumerGroupLag read(
      final Admin admin, final String group, final Collection<TopicPartition> partitions, final LogEnd end, final Duration timeout) {
    Objects.requireNonNull(end, "the caller must choose the end: LogEnd.HIGH_WATERMARK or LogEnd.LAST_STABLE_OFFSET");
    final long deadline = System.nanoTime() + timeout.toNanos();
    final ListConsumerGroupOffsetsSpec spec = new ListConsumerGroupOffsetsSpec();
    if (partitions != null) {
      spec.topicPartitions(List.copyOf(partitions));
    }
    final Map<TopicPartition, OffsetAndMetadata> committed =
        AdminFutures.get(
            admin
                .listConsumerGroupOffsets(Map.of(group, spec), new ListConsumerGroupOffsetsOptions().timeoutMs(AdminFutures.millisLeft(deadline)))
                .partitionsToOffsetAndMetadata(group),
            deadline,
            timeout,
            "list the committed offsets of group " + group);
    final Set<TopicPartition> reported = new TreeSet<>(ORDER);
    if (partitions != null) {
      reported.addAll(partitions);
    } else {
      reported.addAll(committed.keySet());
    }
    if (reported.isEmpty()) {
      return new ConsumerGroupLag(group, end, List.of());
    }
    final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    reported.forEach(tp -> request.put(tp, OffsetSpec.latest()));
    final Map<TopicPartition, ListOffsetsResultInfo> ends =
        AdminFutures.get(
            admin.listOffsets(request, new ListOffsetsOptions(end.isolationLevel()).timeoutMs(AdminFutures.millisLeft(deadline))).all(),
            deadline,
            timeout,
            "list the end offsets (" + end + ") of the partitions of group " + group);
    final List<Partition> result = new ArrayList<>();
    for (final TopicPartition tp : reported) {
      final OffsetAndMetadata c = committed.get(tp);
      final ListOffsetsResultInfo info = ends.get(tp);
      if (info == null) {
        throw new ClientsException("Kafka gave no end offset for " + tp + " of group " + group);
      }
      // A partition asked for by name comes back with a null value when nothing is committed.
      result.add(new Partition(tp, c == null || c.offset() < 0 ? OptionalLong.empty() : OptionalLong.of(c.offset()), info.offset()));
    }
    return new ConsumerGroupLag(group, end, result);
  }

  /**
   * The lag of several groups on every partition each has committed an offset for, read with
   * three admin calls whatever the number of groups: the committed offsets of all of them, the
   * topics there are, and the ends of every partition. A partition of a topic that no longer
   * exists is reported as {@link #gone}, not as a failure.
   *
   * @param admin an admin client of the cluster
   * @param groups the consumer groups
   * @param end which end to measure against; see {@link LogEnd} for which to choose
   * @param timeout how long the calls together may take
   * @return each group's lag, or why it could not be read
   * @throws ClientsException when the cluster did not answer for any group, or the topics or the
   *     ends could not be listed; the cause is Kafka's
   */
  public static All readAll(final Admin admin, final Collection<String> groups, final LogEnd end, final Duration timeout) {
    Objects.requireNonNull(end, "the caller must choose the end: LogEnd.HIGH_WATERMARK or LogEnd.LAST_STABLE_OFFSET");
    if (groups.isEmpty()) {
      return new All(Map.of(), Map.of());
    }
    final long deadline = System.nanoTime() + timeout.toNanos();
    final Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
    groups.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
    final ListConsumerGroupOffsetsResult offsets =
        admin.listConsumerGroupOffsets(specs, new ListConsumerGroupOffsetsOptions().timeoutMs(AdminFutures.millisLeft(deadline)));
    final Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
    final Map<String, ClientsException> failed = new HashMap<>();
    for (final String g : new TreeSet<>(groups)) {
      try {
        committed.put(g, AdminFutures.get(offsets.partitionsToOffsetAndMetadata(g), deadline, timeout, "list the committed offsets of group " + g));
      } catch (final ClientsException e) {
        failed.put(g, e);
      }
    }
    if (committed.isEmpty()) {
      // Nothing answered for any group: the cluster, not a group, is the matter.
      throw failed.values().iterator().next();
    }
    final Set<String> topics =
        AdminFutures.get(
            admin.listTopics(new ListTopicsOptions().timeoutMs(AdminFutures.millisLeft(deadline))).names(), deadline, timeout, "list the topics");
    final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    committed.values().forEach(m -> m.keySet().stream().filter(tp -> topics.contains(tp.topic())).forEach(tp -> request.put(tp, OffsetSpec.latest())));
    final Map<TopicPartition, Long> ends = new HashMap<>();
    final Set<TopicPartition> unknown = new HashSet<>();
    final Map<TopicPartition, ClientsException> endFailures = new HashMap<>();
    if (!request.isEmpty()) {
      final ListOffsetsResult listed =
          admin.listOffsets(request, new ListOffsetsOptions(end.isolationLevel()).timeoutMs(AdminFutures.millisLeft(deadline)));
      for (final TopicPartition tp : request.keySet()) {
        try {
          ends.put(tp, AdminFutures.get(listed.partitionResult(tp), deadline, timeout, "list the end offset (" + end + ") of " + tp).offset());
        } catch (final ClientsException e) {
          if (e.getCause() instanceof UnknownTopicOrPartitionException) {
            // Deleted since the topics were listed.
            unknown.add(tp);
          } else {
            endFailures.put(tp, e);
          }
        }
      }
    }
    final Map<String, ConsumerGroupLag> result = new HashMap<>();
    committed.forEach(
        (g, offsetsOfGroup) -> {
          final List<Partition> partitions = new ArrayList<>();
          final List<TopicPartition> gone = new ArrayList<>();
          ClientsException failure = null;
          for (final Map.Entry<TopicPartition, OffsetAndMetadata> e : offsetsOfGroup.entrySet()) {
            final TopicPartition tp = e.getKey();
            final OffsetAndMetadata c = e.getValue();
            if (!topics.contains(tp.topic()) || unknown.contains(tp)) {
              gone.add(tp);
            } else if (ends.containsKey(tp)) {
              partitions.add(new Partition(tp, c == null || c.offset() < 0 ? OptionalLong.empty() : OptionalLong.of(c.offset()), ends.get(tp)));
            } else {
              failure = endFailures.getOrDefault(tp, new ClientsException("Kafka gave no end offset for " + tp + " of group " + g));
            }
          }
          if (failure != null) {
            failed.put(g, failure);
          } else {
            result.put(g, new ConsumerGroupLag(g, end, partitions, gone));
          }
        });
    return new All(result, failed);
  }
}
