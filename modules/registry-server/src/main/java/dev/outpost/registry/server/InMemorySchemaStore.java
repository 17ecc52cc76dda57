package dev.outpost.registry.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link SchemaStore} that keeps its log in a list on the heap. Nothing survives the JVM, but one
 * instance can be handed to several servers in turn: each replays what the earlier ones wrote.
 */
public final class InMemorySchemaStore implements SchemaStore {

  private final List<StoreRecord> log = new ArrayList<>();

  /** Creates an empty store. */
  public InMemorySchemaStore() {
    // Nothing to set up.
  }

  @Override
  public synchronized List<StoreRecord> replay() {
    return List.copyOf(log);
  }

  @Override
  public synchronized void append(final StoreRecord record) {
    log.add(Objects.requireNonNull(record, "record"));
  }

  @Override
  public synchronized void appendAll(final List<StoreRecord> records) {
    for (final StoreRecord record : records) {
      Objects.requireNonNull(record, "record");
    }
    log.addAll(records);
  }

  /**
   * @return how many records the log holds
   */
  public synchronized int size() {
    return log.size();
  }

  @Override
  public synchronized String toString() {
    return "InMemorySchemaStore[" + log.size() + " records]";
  }

  @Override
  public void close() {
    // Nothing to release; the log stays readable for another server.
  }
}
