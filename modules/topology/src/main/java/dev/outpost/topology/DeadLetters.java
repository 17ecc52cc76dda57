package dev.outpost.topology;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Builds the records of the dead-letter topic: the original key and value bytes, untouched, with
 * headers that say what failed and where.
 *
 * <p>The exception, message and source coordinates use the header names of Kafka Streams' own
 * dead-letter records (KIP-1034), so tools made for those read Outpost's too; the stage and reason
 * are Outpost's own. Every header value is UTF-8 text.
 */
public final class DeadLetters {

  /** The failure's exception class. */
  public static final String EXCEPTION = "__streams.errors.exception";

  /** The failure's message. */
  public static final String MESSAGE = "__streams.errors.message";

  /** The stack trace, for unexpected failures only. */
  public static final String STACKTRACE = "__streams.errors.stacktrace";

  /** The topic the record was read from. */
  public static final String TOPIC = "__streams.errors.topic";

  /** Its partition. */
  public static final String PARTITION = "__streams.errors.partition";

  /** Its offset. */
  public static final String OFFSET = "__streams.errors.offset";

  /** The {@link Stage} that failed. */
  public static final String STAGE = "outpost.error.stage";

  /** The {@link DeadLetterReason}. */
  public static final String REASON = "outpost.error.reason";

  /**
   * Set, to the original value's size in bytes, when the dead letter carries no value because the
   * value and its headers would not fit in one request to the broker. The original record stays
   * where {@link #TOPIC}, {@link #PARTITION} and {@link #OFFSET} say, for as long as that topic
   * keeps it.
   */
  public static final String VALUE_OMITTED = "outpost.error.value.omitted.bytes";

  /**
   * The most a record batch of one record adds around the record's key, value and headers: the
   * batch header (61 bytes) and the record's own fields at their widest (21 bytes). The producer
   * bounds a record the same way when it checks {@code max.request.size}.
   */
  static final int FRAMING_BYTES = 61 + 21;

  /** The most of a stack trace a header carries; its first frames say where it failed. */
  static final int MAX_STACKTRACE_CHARS = 16 * 1024;

  /** The most of a message a header carries. */
  static final int MAX_MESSAGE_CHARS = 4 * 1024;

  /**
   * The config key under which the handlers find the instance's {@link PipelineMetrics}; Kafka
   * passes it through to them untouched.
   */
  public static final String METRICS_CONFIG = "outpost.pipeline.metrics";

  private final String topic;
  private final PipelineMetrics metrics;
  private final int maxRequestSize;

  private DeadLetters(final String topic, final PipelineMetrics metrics, final int maxRequestSize) {
    this.topic = topic;
    this.metrics = metrics;
    this.maxRequestSize = maxRequestSize;
  }

  /**
   * Reads the dead-letter topic and the metrics from a handler's configuration.
   *
   * @param configs what Kafka Streams passed to the handler's {@code configure}
   * @return the builder
   * @throws IllegalArgumentException naming the setting that is missing
   */
  static DeadLetters from(final Map<String, ?> configs) {
    final Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    if (!(topic instanceof String name) || name.isBlank()) {
      throw new IllegalArgumentException(
          "Outpost's error handlers need '"
              + StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
              + "' set to the dead-letter topic");
    }
    final Object metrics = configs.get(METRICS_CONFIG);
    if (!(metrics instanceof PipelineMetrics m)) {
      throw new IllegalArgumentException(
          "Outpost's error handlers need '" + METRICS_CONFIG + "' set to a PipelineMetrics");
    }
    return new DeadLetters(name, m, ProducerLimits.maxRequestSize(configs));
  }

  /**
   * Counts the dead letter and builds its record.
   *
   * <p>A dead letter must itself be sendable: under exactly-once a record the producer refuses
   * leaves the transaction unable to commit, and the task would fail on the same input again and
   * again. So long texts in headers are cut, and when the original value and its headers would still
   * not fit in {@code max.request.size}, the value is left out and {@link #VALUE_OMITTED} says how
   * large it was; the headers still say where the original is.
   *
   * @param key the original key bytes, or null
   * @param value the original value bytes, or null
   * @param source where the record was read: topic, partition, offset
   * @param stage what failed
   * @param reason why
   * @param error the failure
   * @param withStackTrace whether the failure was unexpected, so its trace helps
   * @return the record to write
   */
  ProducerRecord<byte[], byte[]> record(
      final byte[] key,
      final byte[] value,
      final Source source,
      final Stage stage,
      final DeadLetterReason reason,
      final Throwable error,
      final boolean withStackTrace) {
    Objects.requireNonNull(error, "error");
    final Headers headers = new RecordHeaders();
    put(headers, EXCEPTION, error.getClass().getName());
    put(headers, MESSAGE, cut(String.valueOf(error.getMessage()), MAX_MESSAGE_CHARS));
    if (withStackTrace) {
      final StringWriter trace = new StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      put(headers, STACKTRACE, cut(trace.toString(), MAX_STACKTRACE_CHARS));
    }
    put(headers, TOPIC, source.topic());
    put(headers, PARTITION, Integer.toString(source.partition()));
    put(headers, OFFSET, Long.toString(source.offset()));
    put(headers, STAGE, stage.tag());
    put(headers, REASON, reason.tag());
    metrics.deadLetter(reason);
    final byte[] kept;
    if (value != null && size(key, value, headers) > maxRequestSize) {
      put(headers, VALUE_OMITTED, Integer.toString(value.length));
      kept = null;
    } else {
      kept = value;
    }
    return new ProducerRecord<>(topic, null, null, key, kept, headers);
  }

  /** An upper bound of what the record takes in a batch of its own, as the producer reckons it. */
  private static int size(final byte[] key, final byte[] value, final Headers headers) {
    int size = FRAMING_BYTES + sized(key == null ? 0 : key.length) + sized(value.length);
    int count = 0;
    for (final Header header : headers) {
      size += sized(header.key().getBytes(StandardCharsets.UTF_8).length);
      size += sized(header.value() == null ? 0 : header.value().length);
      count++;
    }
    return size + varintBytes(count);
  }

  /** A length-prefixed field: its bytes and its length as a varint. */
  private static int sized(final int bytes) {
    return varintBytes(bytes) + bytes;
  }

  private static int varintBytes(final int value) {
    // Zig-zag encoded, as record fields are: small non-negative values take one byte per 7 bits.
    int v = (value << 1) ^ (value >> 31);
    int bytes = 1;
    while ((v & 0xffffff80) != 0) {
      bytes++;
      v >>>= 7;
    }
    return bytes;
  }

  private static String cut(final String text, final int maxChars) {
    return text.length() <= maxChars
        ? text
        : text.substring(0, maxChars) + "... (" + (text.length() - maxChars) + " more characters)";
  }

  private static void put(final Headers headers, final String name, final String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Where a failed record was read.
   *
   * @param topic its topic
   * @param partition its partition
   * @param offset its offset
   */
  record Source(String topic, int partition, long offset) {

    /**
     * @param context what Kafka Streams tells an error handler
     * @return where the failed record was read
     */
    static Source of(final ErrorHandlerContext context) {
      return new Source(context.topic(), context.partition(), context.offset());
    }
  }
}
