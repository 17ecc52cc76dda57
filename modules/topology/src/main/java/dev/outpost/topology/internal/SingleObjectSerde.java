package dev.outpost.topology.internal;

import dev.outpost.model.Alert;
import dev.outpost.model.AvroTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Alerts on the pipeline's own repartition topic, in Avro's single-object encoding (a two-byte
 * marker, the schema's 64-bit fingerprint, the binary record). The topic is internal: written and
 * read by the same application, never by a subscriber, so it does not register a subject in the
 * schema registry, and a pipeline whose registry refuses new subjects still runs. A record
 * written by a release with a different {@code Alert} schema fails to decode, naming the
 * fingerprint, and is dead-lettered: drain the topic, or reset the application, across such an
 * upgrade.
 */
public final class SingleObjectSerde {

  private SingleObjectSerde() {}

  /**
   * @return the serde of alerts
   */
  public static Serde<Alert> alerts() {
    AvroTrust.install();
    final Serializer<Alert> serializer =
        (topic, alert) -> {
          if (alert == null) {
            return null;
          }
          try {
            final ByteBuffer buffer = Alert.getEncoder().encode(alert);
            final byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
          } catch (final IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    final Deserializer<Alert> deserializer =
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          try {
            return Alert.getDecoder().decode(bytes);
          } catch (final IOException | RuntimeException e) {
            throw new SerializationException("Cannot read an alert of " + topic + ": " + e.getMessage(), e);
          }
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
