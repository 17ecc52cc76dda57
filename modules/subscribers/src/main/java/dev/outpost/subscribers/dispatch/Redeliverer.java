package dev.outpost.subscribers.dispatch;

import dev.outpost.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends parked alerts again: every alert parked since the last redelivery (optionally of one
 * subscription only) goes back to the dispatcher's shortest retry topic with a fresh count of
 * attempts, and the running dispatcher delivers it. Progress is kept in its own consumer group, so
 * each parked alert is redelivered once per call.
 */
public final class Redeliverer {

  private Redeliverer() {}

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param group the dispatcher's consumer group
   * @param subscription only this subscription's alerts, or null for all
   * @param clock stamps the new first attempt
   * @return how many alerts were sent back
   */
  public static long redeliver(
      final Map<String, Object> kafkaProperties, final String group, final String subscription, final Clock clock) {
    final String parked = Topics.dispatchParked(group).name();
    final String retry = Topics.dispatchRetry(group, Topics.DISPATCH_RETRY_DELAYS.get(0)).name();
    final Map<String, Object> consumerProps = new HashMap<>(kafkaProperties);
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, group + "-redeliver");
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    final Map<String, Object> producerProps = new HashMap<>(kafkaProperties);
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    long sent = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
      final List<TopicPartition> partitions =
          consumer.partitionsFor(parked, Duration.ofSeconds(15)).stream()
              .map(p -> new TopicPartition(parked, p.partition()))
              .toList();
      consumer.assign(partitions);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
            continue;
          }
          final String id = Dispatcher.stringHeader(r.headers(), Dispatcher.H_SUBSCRIPTION);
          if (subscription == null || subscription.equals(id)) {
            final Headers headers = new RecordHeaders();
            headers.add(Dispatcher.H_SUBSCRIPTION, id.getBytes(StandardCharsets.UTF_8));
            headers.add(Dispatcher.H_ATTEMPTS, "0".getBytes(StandardCharsets.UTF_8));
            headers.add(Dispatcher.H_FIRST, Long.toString(clock.millis()).getBytes(StandardCharsets.UTF_8));
            headers.add(Dispatcher.H_NOT_BEFORE, Long.toString(clock.millis()).getBytes(StandardCharsets.UTF_8));
            headers.add(Dispatcher.H_ERROR, "redelivered".getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(retry, null, id, r.value(), headers)).get(30, TimeUnit.SECONDS);
            sent++;
          }
          done.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        if (!done.isEmpty()) {
          consumer.commitSync(done);
          done.clear();
        }
      }
    } catch (final ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Could not send a parked alert back to " + retry, e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while redelivering parked alerts", e);
    }
    return sent;
  }
}
