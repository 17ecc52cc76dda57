package dev.outpost.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain producer and consumer helpers shared by the integration tests. */
final class TestClients {

  private TestClients() {}

  /**
   * @param kafka the cluster
   * @return a String/String producer that neither loses nor duplicates an acknowledged record:
   *     acks=all, idempotent, retrying until its delivery timeout
   */
  static KafkaProducer<String, String> safeProducer(final EmbeddedKafkaCluster kafka) {
    final Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return new KafkaProducer<>(config);
  }

  /**
   * Sends records {@code key-i -> value-i} for i in [from, to) and waits for every acknowledgement.
   *
   * @param producer the producer
   * @param topic the topic
   * @param from first index, inclusive
   * @param to last index, exclusive
   * @return the acknowledged record metadata, in send order
   * @throws Exception if any send fails
   */
  static List<RecordMetadata> sendAndAwaitAcks(
      final KafkaProducer<String, String> producer, final String topic, final int from, final int to)
      throws Exception {
    final List<Future<RecordMetadata>> futures = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      futures.add(producer.send(new ProducerRecord<>(topic, key(i), value(i))));
    }
    producer.flush();
    final List<RecordMetadata> acks = new ArrayList<>(futures.size());
    for (final Future<RecordMetadata> future : futures) {
      final RecordMetadata metadata = future.get(60, TimeUnit.SECONDS);
      assertThat(metadata.hasOffset()).as("ack of %s", metadata).isTrue();
      acks.add(metadata);
    }
    return acks;
  }

  /**
   * Reads a topic from the beginning with a fresh, group-less consumer, up to the end offsets of
   * every partition as they are when called.
   *
   * @param kafka the cluster
   * @param topic the topic
   * @param timeout how long reading may take
   * @return every record, partition by partition in offset order
   */
  static List<ConsumerRecord<String, String>> readAll(
      final EmbeddedKafkaCluster kafka, final String topic, final Duration timeout) {
    final Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    final List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      final List<TopicPartition> partitions = new ArrayList<>();
      for (final PartitionInfo info : consumer.partitionsFor(topic, timeout)) {
        partitions.add(new TopicPartition(info.topic(), info.partition()));
      }
      assertThat(partitions).as("partitions of %s", topic).isNotEmpty();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
      await()
          .alias("consumer reached the end offsets " + ends + " of " + topic)
          .atMost(timeout)
          .pollInSameThread()
          .pollInterval(Duration.ZERO)
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
              });
    }
    return records;
  }

  /**
   * @param i record index
   * @return the key of record i
   */
  static String key(final int i) {
    return "key-" + i;
  }

  /**
   * @param i record index
   * @return the value of record i
   */
  static String value(final int i) {
    return "value-" + i;
  }
}
