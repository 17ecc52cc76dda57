package dev.outpost.clients;

import dev.outpost.clients.internal.AdminFutures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group's lag, the one definition every module uses: per partition, the group's
 * committed offset against the partition's end, where the end is the {@link LogEnd} the caller
 * chose. A partition the group has not committed yet has no lag to speak of: it is reported
 * without a committed offset, never as lag 0, and the caller decides what that means (a group
 * that has not started yet, or one that will start from the earliest record).
 *
 * <p>Reads with the admin client: {@code listConsumerGroupOffsets}, then {@code listOffsets} with
 * {@link OffsetSpec#latest()} at the isolation level of the chosen end. Nothing is read from the
 * topics themselves.
 *
 * @param group the consumer group
 * @param end what the partitions' ends were measured as
 * @param partitions each partition, in topic and partition order
 * @see LogEnd
 */
public record ConsumerGroupLag(String group, LogEnd end, List<Partition> partitions) {

  private static final Comparator<TopicPartition> ORDER =
      Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  /**
   * @param group the consumer group
   * @param end what the partitions' ends were measured as
   * @param partitions each partition
   */
  public ConsumerGroupLag {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(end, "end");
    partitions = partitions.stream().sorted(Comparator.comparing(Partition::partition, ORDER)).toList();
  }

  /**
   * One partition of the group.
   *
   * @param partition the partition
   * @param committed the group's committed offset, empty when it has committed none
   * @param end the partition's end offset, as the group's {@link LogEnd} defines it
   */
  public record Partition(TopicPartition partition, OptionalLong committed, long end) {

    /**
     * @param partition the partition
     * @param committed the group's committed offset, empty when it has committed none
     * @param end the partition's end offset
     */
    public Partition {
      Objects.requireNonNull(partition, "partition");
      Objects.requireNonNull(committed, "committed");
    }

    /**
     * @return offsets between the committed offset and the end, never negative (a committed
     *     offset past the end, as after a topic was recreated, is 0 behind); empty without a
     *     committed offset
     */
    public OptionalLong lag() {
      return committed.isPresent() ? OptionalLong.of(Math.max(0, end - committed.getAsLong())) : OptionalLong.empty();
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
}
