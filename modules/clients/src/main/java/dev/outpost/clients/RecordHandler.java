package dev.outpost.clients;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;

/**
 * Takes the records of a read as they come, one at a time, in offset order within each
 * partition, so a large topic is never held in memory.
 *
 * @param <K> the key type
 * @param <V> the value type
 * @see TopicReader
 */
@FunctionalInterface
public interface RecordHandler<K, V> {

  /**
   * @param record a record before its partition's end offset; a null value is a tombstone
   */
  void accept(ConsumerRecord<K, V> record);

  /**
   * Called for a record whose key or value cannot be deserialized. Returning skips it: the read
   * goes on after it. Throwing stops the read with the reader positioned on it. By default the
   * exception is thrown again, so nothing is skipped without the caller saying so.
   *
   * @param e what the consumer reported, with the record's partition and offset
   */
  default void unreadable(final RecordDeserializationException e) {
    throw e;
  }
}
