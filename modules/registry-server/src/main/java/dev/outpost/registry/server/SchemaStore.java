package dev.outpost.registry.server;

import java.util.List;

/**
 * Where a {@link RegistryServer} keeps its state: an append-only log of {@link StoreRecord}s. The
 * server replays the whole log when it starts and appends one record per change (a new schema
 * version, a compatibility setting), so the same log always rebuilds the same ids and versions.
 *
 * <p>Implementations: {@link InMemorySchemaStore} for tests and the demo, {@link KafkaSchemaStore}
 * for a compacted Kafka topic laid out like Confluent's {@code _schemas}.
 *
 * <p>Several registries may share one log (as Confluent's registries share {@code _schemas}): a
 * store then makes sure that only a registry that has read the whole log appends to it (see {@link
 * #append(StoreRecord)}), so two registries never hand out one id for two schemas.
 *
 * <p>Implementations are thread-safe. The store belongs to whoever created it: a server never
 * closes the store it was given.
 */
public interface SchemaStore extends AutoCloseable {

  /**
   * Reads the whole log from its beginning to its current end.
   *
   * @return every record, oldest first
   * @throws SchemaStoreException if the log cannot be read
   */
  List<StoreRecord> replay();

  /**
   * Reads what was appended since the last {@link #replay()}, {@code catchUp()} or {@link
   * #append(StoreRecord)}, by another registry sharing the log. A store that only one registry
   * writes has nothing to return.
   *
   * @return the new records, oldest first; empty when there are none
   * @throws SchemaStoreException if the log cannot be read
   */
  default List<StoreRecord> catchUp() {
    return List.of();
  }

  /**
   * Appends one record durably. Returns only once a later {@link #replay()} is sure to include it
   * (read-your-writes).
   *
   * <p>A store shared by several registries appends only while the caller has seen the whole log:
   * if another registry appended since this one last read (so an id or version the caller picked
   * may be taken), it writes nothing and throws {@link SchemaStoreConflictException}; the caller
   * applies {@link #catchUp()} and decides again.
   *
   * @param record the record to append
   * @throws SchemaStoreConflictException if the log moved on; nothing was written
   * @throws SchemaStoreException if the record could not be persisted
   */
  void append(StoreRecord record);

  /**
   * Appends several records that make one change (a permanent delete of a subject: a tombstone per
   * version, then the subject's config and mode cleared), with the same guarantees as {@link
   * #append(StoreRecord)}. A store shared by several registries must write them all or none; this
   * default appends them one by one, which is enough for a store that one registry writes alone.
   *
   * @param records the records, in the order to append them; empty does nothing
   * @throws SchemaStoreConflictException if the log moved on before the first record was written
   * @throws SchemaStoreException if the records could not be persisted
   */
  default void appendAll(final List<StoreRecord> records) {
    for (final StoreRecord record : records) {
      append(record);
    }
  }

  /** Releases the store's resources. Does not throw. */
  @Override
  void close();
}
