package dev.outpost.registry.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A one-partition topic without a broker. Its log is a list: each {@link #producer()} is a
 * transactional {@link MockProducer} whose commits append to it, and whose {@code
 * initTransactions()} fences every producer made before (as the broker fences an older producer
 * with the same transactional id); each {@link #consumer()} reads the committed log back through a
 * {@link MockConsumer}. So {@link KafkaSchemaStore}s can write, read their writes back, close, be
 * replaced, or share the topic.
 */
final class FakeTopic {

  static final String NAME = "_schemas_test";
  static final TopicPartition PARTITION = new TopicPartition(NAME, 0);

  private final List<ProducerRecord<byte[], byte[]>> log = new ArrayList<>();
  private final List<Writer> writers = new ArrayList<>();

  /** A new producer for this topic, as each store makes one. */
  synchronized Writer producer() {
    final Writer writer = new Writer();
    writers.add(writer);
    return writer;
  }

  /** Appends a record as a writer without transactions would (a Confluent registry, say). */
  synchronized void write(final byte[] key, final byte[] value) {
    log.add(new ProducerRecord<>(NAME, 0, key, value));
  }

  /** The committed log, with each record at its offset. */
  synchronized List<ConsumerRecord<byte[], byte[]>> records() {
    final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(log.size());
    for (int offset = 0; offset < log.size(); offset++) {
      final ProducerRecord<byte[], byte[]> sent = log.get(offset);
      records.add(new ConsumerRecord<>(NAME, 0, offset, sent.key(), sent.value()));
    }
    return records;
  }

  /** A new consumer that reads this topic. */
  MockConsumer<byte[], byte[]> consumer() {
    return new Reader();
  }

  private synchronized int size() {
    return log.size();
  }

  /** A transactional producer of this topic; what it commits lands in the log. */
  final class Writer extends MockProducer<byte[], byte[]> {
    private final List<ProducerRecord<byte[], byte[]>> open = new ArrayList<>();
    private boolean fenced;

    Writer() {
      super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void initTransactions() {
      super.initTransactions();
      synchronized (FakeTopic.this) {
        for (final Writer other : writers) {
          if (other != this && other.transactionInitialized() && !other.fenced) {
            other.fenced = true;
            other.fenceProducer();
          }
        }
      }
    }

    @Override
    public synchronized Future<RecordMetadata> send(final ProducerRecord<byte[], byte[]> record) {
      final Future<RecordMetadata> sent = super.send(record);
      if (!sent.isDone()) {
        return sent;
      }
      try {
        sent.get();
      } catch (final ExecutionException | InterruptedException e) {
        return sent;
      }
      open.add(record);
      // The offset the broker would give: after the log and this transaction's earlier records.
      final long offset = size() + open.size() - 1L;
      return CompletableFuture.completedFuture(new RecordMetadata(PARTITION, offset, 0, 0L, 0, 0));
    }

    @Override
    public synchronized void commitTransaction() {
      super.commitTransaction();
      synchronized (FakeTopic.this) {
        log.addAll(open);
      }
      open.clear();
    }

    @Override
    public synchronized void abortTransaction() {
      open.clear();
      super.abortTransaction();
    }

    @Override
    public void close(final Duration timeout) {
      // Closing a producer leaves the topic as it is.
    }
  }

  /** Feeds the log to {@link MockConsumer} as its position advances. */
  private final class Reader extends MockConsumer<byte[], byte[]> {
    Reader() {
      super("earliest");
      updateBeginningOffsets(Map.of(PARTITION, 0L));
      // The metadata a real consumer fetches: one partition (its leader does not matter here).
      updatePartitions(NAME, List.of(new PartitionInfo(NAME, 0, null, null, null)));
    }

    private void refresh() {
      updateEndOffsets(Map.of(PARTITION, (long) size()));
    }

    @Override
    public synchronized ConsumerRecords<byte[], byte[]> poll(final Duration timeout) {
      refresh();
      final List<ConsumerRecord<byte[], byte[]>> committed = records();
      for (long offset = super.position(PARTITION); offset < committed.size(); offset++) {
        addRecord(committed.get((int) offset));
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
