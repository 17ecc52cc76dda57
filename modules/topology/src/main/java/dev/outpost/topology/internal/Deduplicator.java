package dev.outpost.topology.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Drops repeat deliveries of one item id. Each id is remembered in a window store; an item whose
 * id was remembered within the window either side of its own time is a repeat.
 *
 * <p>An id is remembered at the item's event time, but never earlier than the window behind the
 * partition's stream time: {@code max(event time, stream time - window)}. Event time keeps the
 * window one of publication for current news, so at full replay speed a copy published two hours
 * after the first is a repeat and one published ten days later is not. The floor keeps old items
 * deduplicated: a month-old item put at its own time would land in a segment the store has already
 * dropped, and Kafka Streams would skip it (with a warning per record), so every copy would pass.
 * Clamped, an old item is remembered for a window of stream time from its first delivery.
 *
 * <p>The store keeps {@link #retention two windows}: a clamped entry sits a window behind stream
 * time when it is written and must still be found a window of stream time later. Every put lands in
 * a live segment, and the state stays bounded however long the pipeline runs.
 *
 * <p>Nearly every item is a first delivery, and a store read opens an iterator on each segment the
 * window spans. So the ids in the store are also kept in a Bloom filter ({@link IdFilter}), built
 * from the store when the step starts and fed by every put: an id it has never had is not looked up.
 * When the filter has taken as many ids as it was sized for, it is built again from the store, which
 * has dropped the ids past the window by then.
 *
 * <p>Ids are remembered per partition: the input topic is keyed by item id, so every delivery of
 * one item reaches the same task.
 *
 * @param <V> the items, as the topology carries them
 */
public final class Deduplicator<V> implements FixedKeyProcessor<String, V, V> {

  private final String storeName;
  private final long windowMs;
  private final Runnable onDuplicate;
  private final Function<V, String> idOf;
  private FixedKeyProcessorContext<String, V> context;
  private WindowStore<String, Long> seen;
  /** Every id the store holds, and maybe others: an id it has never had needs no store read. */
  private IdFilter filter;

  /**
   * @param storeName the window store of ids seen, with the {@link #retention} of this window
   * @param window how long an id is remembered
   * @param onDuplicate told of every repeat dropped
   * @param idOf an item's id
   */
  public Deduplicator(
      final String storeName, final Duration window, final Runnable onDuplicate, final Function<V, String> idOf) {
    this.storeName = storeName;
    this.windowMs = window.toMillis();
    this.onDuplicate = onDuplicate;
    this.idOf = idOf;
  }

  /**
   * @param window the dedupe window
   * @return how long the store of ids must keep them: two windows, since an id may be written a
   *     window behind stream time and must be found for a window after that
   */
  public static Duration retention(final Duration window) {
    return window.multipliedBy(2);
  }

  /**
   * @param eventTime the item's event time
   * @param streamTime its partition's stream time, or negative when not known yet
   * @param windowMs the dedupe window
   * @return the time the item's id is remembered and looked up at: its event time, but no earlier
   *     than a window behind stream time, so never in a segment the store has dropped
   */
  static long rememberedAt(final long eventTime, final long streamTime, final long windowMs) {
    return streamTime < 0 ? eventTime : Math.max(eventTime, streamTime - windowMs);
  }

  @Override
  public void init(final FixedKeyProcessorContext<String, V> context) {
    this.context = context;
    this.seen = context.getStateStore(storeName);
    // Init runs once the store is restored (after a restart, a rebalance or an aborted
    // transaction), and this step is the store's only writer: from here on, every id it gains is
    // added to the filter as it is put.
    this.filter = filterOfStore();
  }

  /** A filter holding every id in the store, sized for twice as many. */
  private IdFilter filterOfStore() {
    long[] hashes = new long[1024];
    int count = 0;
    try (KeyValueIterator<Windowed<String>, Long> all = seen.all()) {
      while (all.hasNext()) {
        if (count == hashes.length) {
          hashes = Arrays.copyOf(hashes, count * 2);
        }
        hashes[count++] = IdFilter.hash(all.next().key.key());
      }
    }
    final IdFilter f = new IdFilter(count > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE : count * 2);
    for (int i = 0; i < count; i++) {
      f.add(hashes[i]);
    }
    return f;
  }

  @Override
  public void process(final FixedKeyRecord<String, V> record) {
    final String id = idOf.apply(record.value());
    final long hash = IdFilter.hash(id);
    final long at = rememberedAt(record.timestamp(), context.currentStreamTimeMs(), windowMs);
    if (filter.mightContain(hash)) {
      try (WindowStoreIterator<Long> earlier =
          seen.fetch(id, Math.max(0, at - windowMs), at + windowMs)) {
        if (earlier.hasNext()) {
          onDuplicate.run();
          return;
        }
      }
    }
    // The value is the event time, for whoever inspects the store; the key's time is what counts.
    seen.put(id, record.timestamp(), at);
    filter.add(hash);
    if (filter.full()) {
      // Rebuilt from the store, the filter drops the ids that have left the window.
      filter = filterOfStore();
    }
    context.forward(record);
  }
}
