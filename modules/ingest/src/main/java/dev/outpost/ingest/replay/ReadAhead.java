package dev.outpost.ingest.replay;

import dev.outpost.model.NewsItem;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a source on a thread of its own, a bounded number of items ahead, so that decoding the
 * next items overlaps with sending the last ones. Items, positions and counts come out exactly as
 * the source gives them, in order.
 */
public final class ReadAhead implements ReplaySource {

  private record Entry(
      NewsItem item, byte[] stored, org.apache.avro.Schema schema, Map<String, Long> position, long bad, RuntimeException failure) {}

  private final ReplaySource source;
  private final BlockingQueue<Entry> queue;
  private Thread reader;
  private Map<String, Long> position;
  private long bad;
  private byte[] stored;
  private org.apache.avro.Schema storedSchema;
  private boolean ended;

  /**
   * @param source the source, read only through this from now on
   * @param capacity how many items to read ahead at most
   */
  public ReadAhead(final ReplaySource source, final int capacity) {
    this.source = source;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.position = source.position();
  }

  @Override
  public String description() {
    return source.description();
  }

  @Override
  public long size() {
    return source.size();
  }

  @Override
  public void resume(final Map<String, Long> saved) {
    if (reader != null) {
      throw new IllegalStateException("resume() comes before the first next()");
    }
    source.resume(saved);
    position = source.position();
    bad = source.bad();
  }

  @Override
  public NewsItem next() {
    if (ended) {
      return null;
    }
    if (reader == null) {
      reader = new Thread(this::readAll, "outpost-replay-reader");
      reader.setDaemon(true);
      reader.start();
    }
    final Entry entry;
    try {
      entry = queue.take();
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading " + source.description(), e);
    }
    if (entry.failure() != null) {
      ended = true;
      throw entry.failure();
    }
    position = entry.position();
    bad = entry.bad();
    stored = entry.stored();
    storedSchema = entry.schema();
    if (entry.item() == null) {
      ended = true;
    }
    return entry.item();
  }

  private void readAll() {
    try {
      while (true) {
        final NewsItem item;
        try {
          item = source.next();
        } catch (final RuntimeException e) {
          queue.put(new Entry(null, null, null, source.position(), source.bad(), e));
          return;
        }
        queue.put(
            item == null
                ? new Entry(null, null, null, source.position(), source.bad(), null)
                : new Entry(item, source.storedBytes(), source.storedSchema(), source.position(), source.bad(), null));
        if (item == null) {
          return;
        }
      }
    } catch (final InterruptedException e) {
      // Closed: nothing more is wanted.
    }
  }

  @Override
  public byte[] storedBytes() {
    return stored;
  }

  @Override
  public org.apache.avro.Schema storedSchema() {
    return storedSchema;
  }

  @Override
  public Map<String, Long> position() {
    return position;
  }

  @Override
  public long bad() {
    return bad;
  }

  @Override
  public void close() {
    if (reader != null) {
      reader.interrupt();
      try {
        reader.join(10_000);
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    source.close();
  }
}
