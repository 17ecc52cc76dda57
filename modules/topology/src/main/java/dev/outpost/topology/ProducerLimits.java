package dev.outpost.topology;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The pipeline producer's size limit, read the way Kafka Streams hands settings to its producer. */
final class ProducerLimits {

  private ProducerLimits() {}

  /**
   * @param config Streams or serde settings
   * @return {@code max.request.size} as the pipeline's producer gets it: the {@code producer.}
   *     prefixed setting, else the plain one, else Kafka's default
   */
  static int maxRequestSize(final Map<String, ?> config) {
    Object configured = config.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
    if (configured == null) {
      configured = config.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    }
    return configured == null
        ? (Integer) ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)
        : Integer.parseInt(configured.toString().trim());
  }
}
