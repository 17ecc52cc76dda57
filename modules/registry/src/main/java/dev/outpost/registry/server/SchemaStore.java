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
   * Appends one record durably. Returns only once a later {@link #replay()} is sure to include it
   * (read-your-writes).
   *
   * @param record the record to append
   * @throws SchemaStoreException if the record could not be persisted
   */
  void append(StoreRecord record);

  /** Releases the store's resources. Does not throw. */
  @Override
  void close();
}
