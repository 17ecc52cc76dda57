package dev.outpost.registry.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A one-partition topic without a broker: Kafka's {@link MockProducer} is its log, and each {@link
 * #consumer()} reads that log back through a {@link MockConsumer}, so a {@link KafkaSchemaStore}
 * can write, read its write back, close, and be replaced by another store on the same topic.
 */
final class FakeTopic {

  static final String NAME = "_schemas_test";
  static final TopicPartition PARTITION = new TopicPartition(NAME, 0);

  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
        @Override
        public void close(final Duration timeout) {
          // The topic outlives the store that wrote it.
        }
      };

  /** The producer every store on this topic shares. */
  MockProducer<byte[], byte[]> producer() {
    return producer;
  }

  /** Appends a record as another writer would (a Confluent registry, say). */
  void write(final byte[] key, final byte[] value) {
    producer.send(new ProducerRecord<>(NAME, 0, key, value));
  }

  /** The log, with each record at its offset. */
  List<ConsumerRecord<byte[], byte[]>> records() {
    final List<ProducerRecord<byte[], byte[]>> history = producer.history();
    final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(history.size());
    for (int offset = 0; offset < history.size(); offset++) {
      final ProducerRecord<byte[], byte[]> sent = history.get(offset);
      records.add(new ConsumerRecord<>(NAME, 0, offset, sent.key(), sent.value()));
    }
    return records;
  }

  /** A new consumer that reads this topic. */
  MockConsumer<byte[], byte[]> consumer() {
    return new Reader();
  }

  /** Feeds the log to {@link MockConsumer} as its position advances. */
  private final class Reader extends MockConsumer<byte[], byte[]> {
    Reader() {
      super("earliest");
      updateBeginningOffsets(Map.of(PARTITION, 0L));
    }

    private void refresh() {
      updateEndOffsets(Map.of(PARTITION, (long) producer.history().size()));
    }

    @Override
    public synchronized ConsumerRecords<byte[], byte[]> poll(final Duration timeout) {
      refresh();
      final List<ConsumerRecord<byte[], byte[]>> log = records();
      for (long offset = super.position(PARTITION); offset < log.size(); offset++) {
        addRecord(log.get((int) offset));
      }
      return super.poll(timeout);
    }

    @Override
    public synchronized long position(final TopicPartition partition) {
      refresh();
      return super.position(partition);
    }

    @Override
    public synchronized Map<TopicPartition, Long> endOffsets(
        final Collection<TopicPartition> partitions) {
      refresh();
      return super.endOffsets(partitions);
    }
  }
}
