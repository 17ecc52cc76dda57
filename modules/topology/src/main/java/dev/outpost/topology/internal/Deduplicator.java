package dev.outpost.topology.internal;

import dev.outpost.model.NewsItem;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Drops repeat deliveries of one item id. Each id is remembered in a window store at its event
 * time; an item whose id was seen within the window either side is a repeat. The store keeps only
 * the window's worth of segments, so the state stays bounded however long the pipeline runs.
 *
 * <p>Ids are remembered per partition: the input topic is keyed by item id, so every delivery of
 * one item reaches the same task.
 */
public final class Deduplicator implements FixedKeyProcessor<String, NewsItem, NewsItem> {

  private final String storeName;
  private final long windowMs;
  private final Runnable onDuplicate;
  private FixedKeyProcessorContext<String, NewsItem> context;
  private WindowStore<String, Long> seen;

  /**
   * @param storeName the window store of ids seen
   * @param window how long an id is remembered
   * @param onDuplicate told of every repeat dropped
   */
  public Deduplicator(final String storeName, final Duration window, final Runnable onDuplicate) {
    this.storeName = storeName;
    this.windowMs = window.toMillis();
    this.onDuplicate = onDuplicate;
  }

  @Override
  public void init(final FixedKeyProcessorContext<String, NewsItem> context) {
    this.context = context;
    this.seen = context.getStateStore(storeName);
  }

  @Override
  public void process(final FixedKeyRecord<String, NewsItem> record) {
    final String id = record.value().getId();
    final long time = record.timestamp();
    try (WindowStoreIterator<Long> earlier =
        seen.fetch(id, Math.max(0, time - windowMs), time + windowMs)) {
      if (earlier.hasNext()) {
        onDuplicate.run();
        return;
      }
    }
    seen.put(id, time, time);
    context.forward(record);
  }
}
