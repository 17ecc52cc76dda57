package dev.outpost.topology.internal;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Refuses, as a {@link SerializationException}, a value larger than the pipeline's producer can
 * send. The producer would refuse it too, but with a RecordTooLargeException from {@code send},
 * which under exactly-once leaves the transaction unable to commit: every record after it fails
 * the same way and the stream thread dies, on the same record again after a restart. Refused here,
 * before {@code send}, the record goes to the production handler's serialization path, which
 * dead-letters its input and leaves the transaction whole.
 *
 * @param <T> the value type
 */
public final class SizeBoundSerializer<T> implements Serializer<T> {

  /**
   * Room kept, out of the producer's {@code max.request.size}, for the record's key and its batch
   * and record headers.
   */
  public static final int OVERHEAD = 1024;

  private final Serializer<T> inner;
  private final int maxValueBytes;

  /**
   * @param inner the serializer that encodes values
   * @param maxRequestSize the producer's {@code max.request.size}
   */
  public SizeBoundSerializer(final Serializer<T> inner, final int maxRequestSize) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.maxValueBytes = maxRequestSize - OVERHEAD;
  }

  @Override
  public void configure(final Map<String, ?> configs, final boolean isKey) {
    inner.configure(configs, isKey);
  }

  @Override
  public byte[] serialize(final String topic, final T data) {
    return bounded(topic, inner.serialize(topic, data));
  }

  @Override
  public byte[] serialize(final String topic, final Headers headers, final T data) {
    return bounded(topic, inner.serialize(topic, headers, data));
  }

  private byte[] bounded(final String topic, final byte[] value) {
    if (value != null && value.length > maxValueBytes) {
      throw new SerializationException(
          "topic '"
              + topic
              + "': the value is "
              + value.length
              + " bytes, over the "
              + maxValueBytes
              + " the producer's max.request.size leaves for it; the record was not sent");
    }
    return value;
  }

  @Override
  public void close() {
    inner.close();
  }
}
