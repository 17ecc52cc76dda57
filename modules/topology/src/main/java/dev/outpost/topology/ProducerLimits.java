package dev.outpost.topology;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * A producer's size limit, read the way Kafka Streams hands settings to its producer, so the
 * pipeline's serdes and error handlers and the commands that publish to it agree on one number.
 */
public final class ProducerLimits {

  private ProducerLimits() {}

  /**
   * @param config Streams or serde settings
   * @return {@code max.request.size} as the pipeline's producer gets it: the {@code producer.}
   *     prefixed setting, else the plain one, else Kafka's default
   * @throws IllegalArgumentException naming the setting when its value is not a whole number
   */
  public static int maxRequestSize(final Map<String, ?> config) {
    Object configured = config.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
    if (configured == null) {
      configured = config.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    }
    if (configured == null) {
      return (Integer) ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    }
    try {
      return Integer.parseInt(configured.toString().trim());
    } catch (final NumberFormatException e) {
      throw new IllegalArgumentException(
          "Invalid " + ProducerConfig.MAX_REQUEST_SIZE_CONFIG + " '" + configured + "': use a whole number of bytes", e);
    }
  }
}
