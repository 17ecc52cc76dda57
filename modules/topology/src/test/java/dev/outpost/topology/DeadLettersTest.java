package dev.outpost.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A dead letter must itself fit in one request to the broker, or exactly-once cannot commit. */
class DeadLettersTest {

  private static final int MAX_REQUEST_SIZE = 64 * 1024;
  private static final DeadLetters.Source SOURCE = new DeadLetters.Source("news.items.v1", 3, 42L);

  private final PipelineMetrics metrics = new PipelineMetrics("dead-letters-test");

  @AfterEach
  void closeMetrics() {
    metrics.close();
  }

  private DeadLetters deadLetters(final Map<String, Object> extra) {
    final Map<String, Object> configs =
        new java.util.HashMap<>(
            Map.of(
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "news.items.dlq.v1",
                DeadLetters.METRICS_CONFIG, metrics));
    configs.putAll(extra);
    return DeadLetters.from(configs);
  }

  @Test
  void aValueThatFitsIsKeptByteForByte() {
    final byte[] value = bytes(MAX_REQUEST_SIZE / 2);
    final ProducerRecord<byte[], byte[]> record =
        deadLetters(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_SIZE))
            .record(null, value, SOURCE, Stage.PRODUCE, DeadLetterReason.PRODUCTION_FAILED, new IllegalStateException("too big"), false);

    assertThat(record.value()).isEqualTo(value);
    assertThat(record.headers().lastHeader(DeadLetters.VALUE_OMITTED)).isNull();
  }

  @Test
  void aValueThatWouldNotFitWithItsHeadersIsLeftOutAndWhereItIsIsSaid() {
    final byte[] value = bytes(MAX_REQUEST_SIZE - 200);
    final ProducerRecord<byte[], byte[]> record =
        deadLetters(Map.of(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), MAX_REQUEST_SIZE))
            .record(
                "item-1".getBytes(StandardCharsets.UTF_8),
                value,
                SOURCE,
                Stage.PRODUCE,
                DeadLetterReason.PRODUCTION_FAILED,
                new IllegalStateException("the classified record is too large"),
                true);

    assertThat(record.value()).as("the value, left out").isNull();
    assertThat(header(record, DeadLetters.VALUE_OMITTED)).isEqualTo(Integer.toString(value.length));
    assertThat(header(record, DeadLetters.TOPIC)).isEqualTo("news.items.v1");
    assertThat(header(record, DeadLetters.PARTITION)).isEqualTo("3");
    assertThat(header(record, DeadLetters.OFFSET)).isEqualTo("42");
    assertThat(header(record, DeadLetters.REASON)).isEqualTo(DeadLetterReason.PRODUCTION_FAILED.tag());
    assertThat(record.key()).isEqualTo("item-1".getBytes(StandardCharsets.UTF_8));
    assertThat(sizeOf(record)).isLessThan(MAX_REQUEST_SIZE);
  }

  @Test
  void aHugeMessageAndStackTraceAreCutToSize() {
    final String message = "x".repeat(200_000);
    final ProducerRecord<byte[], byte[]> record =
        deadLetters(Map.of())
            .record(null, bytes(10), SOURCE, Stage.CLASSIFY, DeadLetterReason.PROCESSING_FAILED, new IllegalStateException(message), true);

    assertThat(header(record, DeadLetters.MESSAGE)).hasSizeLessThan(DeadLetters.MAX_MESSAGE_CHARS + 100).startsWith("xxx");
    assertThat(header(record, DeadLetters.STACKTRACE)).hasSizeLessThan(DeadLetters.MAX_STACKTRACE_CHARS + 100);
    assertThat(record.value()).hasSize(10);
  }

  private static byte[] bytes(final int n) {
    final byte[] bytes = new byte[n];
    Arrays.fill(bytes, (byte) 7);
    return bytes;
  }

  private static String header(final ProducerRecord<byte[], byte[]> record, final String name) {
    final Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static int sizeOf(final ProducerRecord<byte[], byte[]> record) {
    int size = (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
    for (final Header h : record.headers()) {
      size += h.key().length() + h.value().length;
    }
    return size;
  }
}
