package dev.outpost.clients;

import org.apache.kafka.common.IsolationLevel;

/**
 * Where a partition's log "ends" when lag is measured against it. The two differ only while a
 * transactional producer (an exactly-once Kafka Streams application, a transactional replay) has
 * a transaction open on the partition, or has just committed one whose markers are not written
 * yet. There is no default: each caller says which question it asks.
 *
 * @see ConsumerGroupLag
 */
public enum LogEnd {

  /**
   * The high watermark: the offset after the last record every in-sync replica has, committed or
   * not. Records of an open transaction count, and so do those of aborted transactions and the
   * transaction markers themselves, which a read_committed consumer will never be handed. Lag
   * against it answers "has the group committed past everything written so far?", which is what
   * a writer waiting for its own records to be processed needs: {@code outpost replay} waits
   * against it, because right after its last transaction commits the markers may not have reached
   * every partition yet, and until they do the last stable offset still stands before the whole
   * transaction and reads as "nothing left" before anything was classified. For a group reading
   * read_committed it can also show lag that never drains while a transaction stays open.
   */
  HIGH_WATERMARK(IsolationLevel.READ_UNCOMMITTED),

  /**
   * The last stable offset: the first offset of the oldest open transaction, or the high watermark
   * when none is open. It is as far as a read_committed consumer can get, so lag against it is
   * work the group can actually do now; it is 0 for a caught-up exactly-once application while an
   * upstream transaction is still open. Dashboards and alerting use this one ({@code outpost lag},
   * the ops server): lag against the high watermark would page someone for records no
   * read_committed consumer is allowed to read yet. For a topic no transactional producer writes
   * it equals the high watermark.
   */
  LAST_STABLE_OFFSET(IsolationLevel.READ_COMMITTED);

  private final IsolationLevel isolationLevel;

  LogEnd(final IsolationLevel isolationLevel) {
    this.isolationLevel = isolationLevel;
  }

  /**
   * @return the isolation level whose {@code ListOffsets} answer is this end: read_uncommitted
   *     gives the high watermark, read_committed the last stable offset
   */
  public IsolationLevel isolationLevel() {
    return isolationLevel;
  }
}
