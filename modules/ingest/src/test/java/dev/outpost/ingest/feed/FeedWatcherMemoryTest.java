package dev.outpost.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** What a feed's watch state remembers: bounded by the feed's size, never by a fixed count. */
class FeedWatcherMemoryTest {

  @Test
  void everyIdOfTheLatestFetchIsRememberedHoweverManyThereAre() {
    final LinkedHashSet<Long> latest = ids(0, 12_000);

    final LinkedHashSet<Long> remembered = FeedWatcher.remember(new LinkedHashSet<>(), latest);

    assertThat(remembered).containsExactlyElementsOf(latest);
  }

  @Test
  void idsThatDroppedOutAreKeptNewestFirstUpToTheFeedsSize() {
    final LinkedHashSet<Long> before = ids(0, 20_000);
    final LinkedHashSet<Long> latest = ids(15_000, 27_000);

    final LinkedHashSet<Long> remembered = FeedWatcher.remember(before, latest);

    // 15,000 dropped out; the newest 12,000 of them stay, then the fetch itself.
    final LinkedHashSet<Long> expected = ids(3_000, 15_000);
    expected.addAll(latest);
    assertThat(remembered).containsExactlyElementsOf(expected);
  }

  @Test
  void aSmallFeedKeepsAtLeastAThousandDroppedIds() {
    final LinkedHashSet<Long> before = ids(0, 5_000);
    final LinkedHashSet<Long> latest = ids(5_000, 5_010);

    final LinkedHashSet<Long> remembered = FeedWatcher.remember(before, latest);

    assertThat(remembered).hasSize(FeedWatcher.MIN_DROPPED + 10).containsAll(ids(4_000, 5_010)).doesNotContain(3_999L);
  }

  @Test
  void theStateNeverHoldsMoreThanFitsInARecord() {
    final LinkedHashSet<Long> before = ids(0, FeedWatcher.MAX_REMEMBERED);
    final LinkedHashSet<Long> latest = ids(FeedWatcher.MAX_REMEMBERED, FeedWatcher.MAX_REMEMBERED + 60_000);

    final LinkedHashSet<Long> remembered = FeedWatcher.remember(before, latest);

    assertThat(remembered).hasSize(FeedWatcher.MAX_REMEMBERED).containsAll(latest);
  }

  private static LinkedHashSet<Long> ids(final long from, final long to) {
    final LinkedHashSet<Long> ids = new LinkedHashSet<>();
    LongStream.range(from, to).forEach(ids::add);
    return ids;
  }
}
