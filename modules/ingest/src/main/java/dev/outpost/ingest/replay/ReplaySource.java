package dev.outpost.ingest.replay;

import dev.outpost.model.NewsItem;
import java.util.Map;

/**
 * Where a replay reads its items, in an order that is the same every time it is read, so that a
 * position taken in one run means the same place in the next.
 */
public interface ReplaySource extends AutoCloseable {

  /**
   * @return what is read, the same text for the same source; a resumed replay must name the same
   */
  String description();

  /**
   * @return how many entries the source holds, for progress; an upper bound when some turn out
   *     bad
   */
  long size();

  /**
   * Moves to a position an earlier run saved, before the first {@link #next()}.
   *
   * @param position what {@link #position()} said then
   */
  void resume(Map<String, Long> position);

  /**
   * @return the next item, or null at the end; a bad entry is reported and passed over
   */
  NewsItem next();

  /**
   * @return the last item {@link #next()} returned as it was stored, Avro binary in {@link
   *     #storedSchema()}, or null when the source holds no such bytes; a replay then sends these
   *     bytes as they are instead of encoding the item again
   */
  default byte[] storedBytes() {
    return null;
  }

  /** @return the schema {@link #storedBytes()} are written in, or null */
  default org.apache.avro.Schema storedSchema() {
    return null;
  }

  /** @return the place just after the last item {@link #next()} returned */
  Map<String, Long> position();

  /** @return entries passed over because they could not be read, since this run started */
  long bad();

  @Override
  void close();
}
