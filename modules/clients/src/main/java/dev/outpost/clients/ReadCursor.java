package dev.outpost.clients;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;

/**
 * A read of a topic to its end offsets, taken a poll at a time by the caller: for readers that
 * pace themselves (a replay sending at the speed of the original news, an archive that fsyncs
 * every 2,000 records) or that commit between polls. {@link TopicReader#read} is the same loop
 * run to the end at once.
 *
 * <p>The deadline of a cursor counts the time spent in its polls since the last progress: {@link
 * #poll} throws {@link TopicReadTimeoutException} once its polls have waited the request's
 * deadline without any partition moving closer to its end, however long the whole read takes and
 * however long the caller waits between polls. A read that takes hours because its caller is slow
 * is fine; a partition that stops short of its end offset (an open transaction under
 * read_committed, an offline leader, a log truncated below the end) is not.
 *
 * <p>Records at or past a partition's end offset are never handed over; once every partition has
 * reached its end, the consumer stands exactly on the end offsets with no partition paused, so a
 * caller may go on polling it to follow the topic.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ReadCursor<K, V> {

  /** The longest one poll waits, so the deadline is looked at often enough. */
  private static final Duration POLL = Duration.ofMillis(200);

  private final Consumer<K, V> consumer;
  private final ReadRequest request;
  private final LongSupplier nanoTime;
  private final boolean renewOnProgress;
  private final List<TopicPartition> partitions;
  private final Map<TopicPartition, Long> end;
  private final Map<TopicPartition, Long> next = new LinkedHashMap<>();
  private final Set<TopicPartition> paused = new HashSet<>();
  /** When the whole read must be done, for {@link TopicReader#read}; unused by a cursor. */
  private final long deadline;
  /** Time spent polling since the last progress, for a cursor. */
  private long stalled;
  private boolean done;

  ReadCursor(
      final Consumer<K, V> consumer, final ReadRequest request, final LongSupplier nanoTime, final boolean renewOnProgress) {
    this.consumer = consumer;
    this.request = request;
    this.nanoTime = nanoTime;
    this.renewOnProgress = renewOnProgress;
    this.deadline = nanoTime.getAsLong() + request.deadline().toNanos();
    final String topic = request.topic();
    final List<TopicPartition> found = new ArrayList<>();
    try {
      consumer.partitionsFor(topic, request.deadline()).forEach(p -> found.add(new TopicPartition(topic, p.partition())));
    } catch (final org.apache.kafka.common.errors.TimeoutException e) {
      throw new ClientsException("Could not find the partitions of " + topic + " within " + DurationText.format(request.deadline()), e);
    }
    found.sort(java.util.Comparator.comparingInt(TopicPartition::partition));
    this.partitions =
        request.partitions().isEmpty()
            ? List.copyOf(found)
            : found.stream().filter(tp -> request.partitions().contains(tp.partition())).toList();
    if (!request.partitions().isEmpty() && partitions.size() != request.partitions().size()) {
      throw new ClientsException("Topic " + topic + " has partitions " + found.stream().map(TopicPartition::partition).toList()
          + ", not all of " + request.partitions());
    }
    consumer.assign(partitions);
    if (request.start() == ReadRequest.Start.BEGINNING) {
      consumer.seekToBeginning(partitions);
    }
    for (final TopicPartition tp : partitions) {
      final Long offset = request.offsets().get(tp.partition());
      if (offset != null) {
        consumer.seek(tp, offset);
      }
    }
    try {
      // The end is fixed now, at the consumer's isolation level: under read_committed that is the
      // last stable offset, as far as this consumer can ever be handed records.
      final Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, request.deadline()));
      for (final TopicPartition tp : partitions) {
        final Long until = request.ends().get(tp.partition());
        if (until != null) {
          ends.put(tp, until);
        }
      }
      this.end = Map.copyOf(ends);
      for (final TopicPartition tp : partitions) {
        next.put(tp, consumer.position(tp, request.deadline()));
      }
    } catch (final org.apache.kafka.common.errors.TimeoutException e) {
      throw new ClientsException("Could not find where the partitions of " + topic + " start and end within " + DurationText.format(request.deadline()), e);
    }
    pauseThoseAtTheirEnd();
  }

  /** @return the partitions read, in partition order; empty when the topic does not exist */
  public List<TopicPartition> partitions() {
    return partitions;
  }

  /** @return each partition's end offset: the request's, or the one taken when the read started */
  public Map<TopicPartition, Long> endOffsets() {
    return end;
  }

  /**
   * @return each partition's next offset: just after the last record handed over or skipped, or
   *     where it started; never past its end offset
   */
  public Map<TopicPartition, Long> positions() {
    return Collections.unmodifiableMap(next);
  }

  /** @return offsets left between the positions and the end offsets, over every partition */
  public long remaining() {
    long left = 0;
    for (final TopicPartition tp : partitions) {
      left += Math.max(0, end.get(tp) - next.get(tp));
    }
    return left;
  }

  /** @return whether every partition has reached its end offset */
  public boolean done() {
    return done;
  }

  /**
   * Moves a partition to another offset before or between polls, as when resuming from a
   * position saved elsewhere.
   *
   * @param partition a partition of this read
   * @param offset where it goes on from
   */
  public void seek(final TopicPartition partition, final long offset) {
    if (!next.containsKey(partition)) {
      throw new IllegalArgumentException(partition + " is not part of this read of " + request.topic());
    }
    consumer.seek(partition, offset);
    next.put(partition, Math.min(offset, end.get(partition)));
    if (paused.remove(partition)) {
      consumer.resume(List.of(partition));
    }
    done = false;
    pauseThoseAtTheirEnd();
  }

  /**
   * Polls once and hands what came to the handler.
   *
   * @param handler takes each record before its partition's end offset
   * @return true while some partition is still short of its end offset
   * @throws TopicReadTimeoutException when the deadline passed (see the class comment for how it
   *     counts), naming each partition still behind and by how much
   */
  public boolean poll(final RecordHandler<K, V> handler) {
    if (done) {
      return false;
    }
    final long now = nanoTime.getAsLong();
    final long left = renewOnProgress ? request.deadline().toNanos() - stalled : deadline - now;
    if (left <= 0) {
      throw TopicReadTimeoutException.of(
          request.topic(), request.deadline(), behind(), renewOnProgress ? "after polling without progress for" : "within");
    }
    final long before = progress();
    final ConsumerRecords<K, V> records;
    try {
      records = consumer.poll(POLL.toNanos() < left ? POLL : Duration.ofNanos(left));
    } catch (final RecordDeserializationException e) {
      final TopicPartition tp = e.topicPartition();
      if (next.containsKey(tp) && e.offset() < end.get(tp)) {
        handler.unreadable(e);
        next.put(tp, e.offset() + 1);
      }
      consumer.seek(tp, Math.min(e.offset() + 1, end.getOrDefault(tp, e.offset() + 1)));
      afterPoll(before, now);
      return !done;
    }
    for (final TopicPartition tp : records.partitions()) {
      final long stop = end.get(tp);
      for (final ConsumerRecord<K, V> r : records.records(tp)) {
        if (r.offset() >= stop) {
          break;
        }
        handler.accept(r);
        next.put(tp, r.offset() + 1);
      }
    }
    // The consumer also moves past transaction markers and aborted records, which are never
    // handed over; its position says how far the partition really got.
    for (final TopicPartition tp : partitions) {
      if (!paused.contains(tp)) {
        final long position = consumer.position(tp);
        next.put(tp, Math.min(Math.max(next.get(tp), position), end.get(tp)));
        if (position > end.get(tp)) {
          // Records past the end came in the same fetch: stand on the end, so a caller that goes
          // on polling to follow the topic gets them then.
          consumer.seek(tp, end.get(tp));
        }
      }
    }
    afterPoll(before, now);
    return !done;
  }

  private void afterPoll(final long before, final long polledAt) {
    if (progress() > before) {
      stalled = 0;
    } else {
      stalled += nanoTime.getAsLong() - polledAt;
    }
    pauseThoseAtTheirEnd();
  }

  private long progress() {
    long sum = 0;
    for (final long offset : next.values()) {
      sum += offset;
    }
    return sum;
  }

  private void pauseThoseAtTheirEnd() {
    final Collection<TopicPartition> reached = new ArrayList<>();
    for (final TopicPartition tp : partitions) {
      if (!paused.contains(tp) && next.get(tp) >= end.get(tp)) {
        reached.add(tp);
      }
    }
    if (!reached.isEmpty()) {
      // A partition at its end is paused so the fetches go to the ones still behind.
      consumer.pause(reached);
      paused.addAll(reached);
    }
    if (paused.size() == partitions.size() && !done) {
      consumer.resume(paused);
      paused.clear();
      done = true;
    }
  }

  private Map<TopicPartition, Long> behind() {
    final Map<TopicPartition, Long> behind = new HashMap<>();
    for (final TopicPartition tp : partitions) {
      final long left = end.get(tp) - next.get(tp);
      if (left > 0) {
        behind.put(tp, left);
      }
    }
    return behind;
  }
}
