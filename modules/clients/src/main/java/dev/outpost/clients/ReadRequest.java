package dev.outpost.clients;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link TopicReader} reads: a topic, all its partitions or some, from where, to where, and
 * within which deadline. The end is the end offsets taken when the read starts, at the reader's
 * isolation level, unless the request names its own ({@link #until}): a writer reading its own
 * write back waits for that offset, which the end offsets may not show yet.
 *
 * @param topic the topic
 * @param partitions the partitions to read; empty for all of them
 * @param start where each partition starts unless {@code offsets} names it
 * @param offsets partition to the offset it starts at, overriding {@code start}
 * @param ends partition to the offset its read ends at (exclusive), instead of the end offsets
 *     taken when the read starts; a partition not named ends at those
 * @param deadline how long the read may take; see {@link TopicReader#read} and {@link ReadCursor}
 *     for how it is counted
 */
public record ReadRequest(
    String topic, List<Integer> partitions, Start start, Map<Integer, Long> offsets, Map<Integer, Long> ends, Duration deadline) {

  /** Where a partition starts when the request gives no offset for it. */
  public enum Start {
    /** The partition's log start offset. */
    BEGINNING,
    /**
     * The reader's consumer group's committed offset, or where its {@code auto.offset.reset}
     * sends it when there is none; needs a {@code group.id}.
     */
    COMMITTED
  }

  /**
   * @param topic the topic
   * @param partitions the partitions to read; empty for all of them
   * @param start where each partition starts unless {@code offsets} names it
   * @param offsets partition to the offset it starts at
   * @param ends partition to the offset it ends at, exclusive
   * @param deadline how long the read may take; positive
   */
  public ReadRequest {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive, was " + deadline);
    }
    partitions = List.copyOf(partitions);
    offsets = Map.copyOf(offsets);
    ends = Map.copyOf(ends);
  }

  /**
   * A request that ends at the end offsets taken when the read starts.
   *
   * @param topic the topic
   * @param partitions the partitions to read; empty for all of them
   * @param start where each partition starts unless {@code offsets} names it
   * @param offsets partition to the offset it starts at
   * @param deadline how long the read may take; positive
   */
  public ReadRequest(
      final String topic,
      final List<Integer> partitions,
      final Start start,
      final Map<Integer, Long> offsets,
      final Duration deadline) {
    this(topic, partitions, start, offsets, Map.of(), deadline);
  }

  /**
   * @param topic the topic
   * @param deadline how long the read may take
   * @return a read of every partition from its beginning
   */
  public static ReadRequest fromBeginning(final String topic, final Duration deadline) {
    return new ReadRequest(topic, List.of(), Start.BEGINNING, Map.of(), deadline);
  }

  /**
   * @param topic the topic
   * @param deadline how long the read may take
   * @return a read of every partition from the consumer group's committed offsets
   */
  public static ReadRequest fromCommitted(final String topic, final Duration deadline) {
    return new ReadRequest(topic, List.of(), Start.COMMITTED, Map.of(), deadline);
  }

  /**
   * @param only the partitions to read
   * @return this request, reading only those partitions
   */
  public ReadRequest partitions(final int... only) {
    return new ReadRequest(topic, Arrays.stream(only).boxed().toList(), start, offsets, ends, deadline);
  }

  /**
   * @param from partition to the offset it starts at; partitions not named start as {@link
   *     #start()} says, and partitions the topic does not have are ignored
   * @return this request, starting those partitions there
   */
  public ReadRequest startingAt(final Map<Integer, Long> from) {
    return new ReadRequest(topic, partitions, start, from, ends, deadline);
  }

  /**
   * @param to partition to the offset its read ends at, exclusive: the read waits, within its
   *     deadline, until the partition has it, even past the end offsets of the moment (a write
   *     just made that read_committed does not show until its transaction's marker lands)
   * @return this request, ending those partitions there
   */
  public ReadRequest until(final Map<Integer, Long> to) {
    return new ReadRequest(topic, partitions, start, offsets, to, deadline);
  }
}
