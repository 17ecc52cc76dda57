package dev.outpost.topology;

import dev.outpost.model.NewsItem;
import dev.outpost.registry.serde.EncodedRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time is when the source published the item. When {@code publishedAt} is missing or absurd
 * (more than a day in the future, or before 1990) the record's own timestamp stands in, and the
 * fallback is counted in {@link PipelineMetrics#timestampFallbacks()}.
 */
public final class EventTimeExtractor implements TimestampExtractor {

  /** Anything published before this is taken for a bad date. */
  public static final Instant EARLIEST = Instant.parse("1990-01-01T00:00:00Z");

  /** Anything dated later than this past the clock is taken for a bad date. */
  public static final Duration MAX_AHEAD = Duration.ofDays(1);

  private final Clock clock;
  private final PipelineMetrics metrics;

  /**
   * @param clock what "now" is, to judge dates in the future
   * @param metrics where fallbacks are counted
   */
  public EventTimeExtractor(final Clock clock, final PipelineMetrics metrics) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public long extract(final ConsumerRecord<Object, Object> record, final long partitionTime) {
    final NewsItem item =
        record.value() instanceof EncodedRecord<?> encoded && encoded.value() instanceof NewsItem read
            ? read
            : record.value() instanceof NewsItem plain ? plain : null;
    if (item != null && item.getPublishedAt() != null) {
      final Instant published = item.getPublishedAt();
      if (!published.isBefore(EARLIEST) && !published.isAfter(clock.instant().plus(MAX_AHEAD))) {
        return published.toEpochMilli();
      }
    }
    metrics.timestampFallback();
    if (record.timestamp() >= 0) {
      return record.timestamp();
    }
    return partitionTime >= 0 ? partitionTime : clock.millis();
  }
}
