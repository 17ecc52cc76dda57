package dev.outpost.subscribers.dispatch;

import dev.outpost.clients.ReadCursor;
import dev.outpost.clients.ReadRequest;
import dev.outpost.clients.RecordHandler;
import dev.outpost.clients.TopicReader;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.registry.serde.TopicSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends parked alerts again: every alert parked since the last redelivery (optionally of one
 * subscription only) goes back to the dispatcher's shortest retry topic with a fresh count of
 * attempts, and the running dispatcher delivers it. Progress is kept in its own consumer group, so
 * each parked alert is redelivered once per call.
 */
public final class Redeliverer {

  /**
   * How long reading the parking topic may go without progress, counted in the reader's polls
   * only (sending each alert back may take its own 30 s): as long as the lookup of its partitions
   * always had.
   */
  static final Duration STALL_TIMEOUT = Duration.ofSeconds(15);

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
    final TopicSpec<String, byte[]> parked = Topics.dispatchParked(group);
    final TopicSpec<String, byte[]> retry = Topics.dispatchRetry(group, Topics.DISPATCH_RETRY_DELAYS.get(0));
    final Map<String, Object> consumerProps = new HashMap<>(kafkaProperties);
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, group + "-redeliver");
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    final long[] sent = {0};
    // Read uncommitted, as the parking topic always was: the dispatcher parks with a plain
    // idempotent producer, never in a transaction, so both levels see the same records.
    try (TopicReader<String, byte[]> reader = TopicSerdes.reader(parked, consumerProps, IsolationLevel.READ_UNCOMMITTED);
        KafkaProducer<String, byte[]> producer = TopicSerdes.producer(retry, kafkaProperties)) {
      final ReadCursor<String, byte[]> cursor = reader.open(ReadRequest.fromCommitted(parked.name(), STALL_TIMEOUT));
      final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
      final RecordHandler<String, byte[]> handler =
          r -> {
            final String id = Dispatcher.stringHeader(r.headers(), Dispatcher.H_SUBSCRIPTION);
            if (subscription == null || subscription.equals(id)) {
              final Headers headers = new RecordHeaders();
              headers.add(Dispatcher.H_SUBSCRIPTION, id.getBytes(StandardCharsets.UTF_8));
              headers.add(Dispatcher.H_ATTEMPTS, "0".getBytes(StandardCharsets.UTF_8));
              headers.add(Dispatcher.H_FIRST, Long.toString(clock.millis()).getBytes(StandardCharsets.UTF_8));
              headers.add(Dispatcher.H_NOT_BEFORE, Long.toString(clock.millis()).getBytes(StandardCharsets.UTF_8));
              headers.add(Dispatcher.H_ERROR, "redelivered".getBytes(StandardCharsets.UTF_8));
              final String kind = Dispatcher.stringHeader(r.headers(), Dispatcher.H_KIND);
              if (kind != null) {
                headers.add(Dispatcher.H_KIND, kind.getBytes(StandardCharsets.UTF_8));
              }
              send(producer, new ProducerRecord<>(retry.name(), null, id, r.value(), headers));
              sent[0]++;
            }
            done.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
          };
      while (!cursor.done()) {
        cursor.poll(handler);
        if (!done.isEmpty()) {
          reader.commitSync(done);
          done.clear();
        }
      }
    }
    return sent[0];
  }

  private static void send(final KafkaProducer<String, byte[]> producer, final ProducerRecord<String, byte[]> record) {
    try {
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (final ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Could not send a parked alert back to " + record.topic(), e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while redelivering parked alerts", e);
    }
  }
}
