package dev.outpost.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.model.NewsItem;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bound an item's record must fit, from the limits the caller read. */
class ItemSizeLimitTest {

  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  @Test
  void theSmallestLimitLessThePipelinesReserveIsTheBoundAndEveryLimitIsNamed() {
    final Map<String, Integer> topics = new LinkedHashMap<>();
    topics.put("news.items.v1", 2_000_000);
    topics.put("news.classified.v1", 500_000);

    final ItemSizeLimit limit = ItemSizeLimit.of(1_048_576, topics);

    assertThat(limit.maxBytes()).isEqualTo(500_000 - ItemSizeLimit.PIPELINE_RESERVE);
    assertThat(limit.explanation())
        .isEqualTo(
            "the smallest of max.request.size 1048576, max.message.bytes 2000000 of news.items.v1,"
                + " max.message.bytes 500000 of news.classified.v1, less 65536 bytes kept for what the pipeline adds");
  }

  @Test
  void withoutTheTopicsSettingsTheProducersAloneCountsAndTheBoundIsNeverBelowOneByte() {
    assertThat(ItemSizeLimit.of(1_048_576, Map.of()).maxBytes()).isEqualTo(1_048_576 - ItemSizeLimit.PIPELINE_RESERVE);
    assertThat(ItemSizeLimit.of(1_000, Map.of()).maxBytes()).isEqualTo(1);
  }

  @Test
  void anItemOverTheBoundIsRefusedNamingItsSizeAndWhereTheBoundComesFrom() {
    final NewsItem item =
        NewsItem.newBuilder().setId("big").setSource("s").setTitle("t").setBody("x".repeat(1_000)).setIngestedAt(NOW).build();
    final int bytes = ItemSizeLimit.recordBytes(item);

    assertThat(new ItemSizeLimit(bytes, "the test's bound").refusal(item)).isNull();
    assertThat(new ItemSizeLimit(bytes - 1, "the test's bound").refusal(item))
        .isEqualTo("item 'big' is " + bytes + " bytes as a record, over the limit of " + (bytes - 1) + " bytes (the test's bound)");
  }
}
