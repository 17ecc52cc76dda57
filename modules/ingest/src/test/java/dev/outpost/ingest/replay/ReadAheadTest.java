package dev.outpost.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.NewsItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadAheadTest {

  /** Numbered items; a bad entry after every third; fails at {@code failAt} if given. */
  private static final class Numbers implements ReplaySource {
    private final int count;
    private final int failAt;
    private long read;
    private long bad;

    Numbers(final int count, final int failAt) {
      this.count = count;
      this.failAt = failAt;
    }

    @Override
    public String description() {
      return "numbers";
    }

    @Override
    public long size() {
      return count;
    }

    @Override
    public void resume(final Map<String, Long> position) {
      read = position.getOrDefault("items", 0L);
    }

    @Override
    public NewsItem next() {
      if (read == failAt) {
        throw new IllegalStateException("broken at " + read);
      }
      if (read >= count) {
        return null;
      }
      read++;
      if (read % 3 == 0) {
        bad++;
      }
      final Instant t = Instant.EPOCH.plusSeconds(read);
      return NewsItem.newBuilder().setId("n" + read).setSource("s").setTitle("t").setBody("b").setPublishedAt(t).setIngestedAt(t).build();
    }

    @Override
    public Map<String, Long> position() {
      return Map.of("items", read);
    }

    @Override
    public long bad() {
      return bad;
    }

    @Override
    public void close() {}
  }

  @Test
  void itemsPositionsAndCountsComeOutAsTheSourceGaveThem() {
    final List<String> seen = new ArrayList<>();
    try (ReadAhead ahead = new ReadAhead(new Numbers(500, -1), 7)) {
      ahead.resume(Map.of("items", 100L));
      for (NewsItem item = ahead.next(); item != null; item = ahead.next()) {
        seen.add(item.getId());
        // The position is the one just after this item, however far the reader has got.
        assertThat(ahead.position()).containsEntry("items", Long.parseLong(item.getId().substring(1)));
        assertThat(ahead.bad()).isEqualTo((Long.parseLong(item.getId().substring(1))) / 3 - 33);
      }
      assertThat(ahead.next()).isNull();
    }
    assertThat(seen).hasSize(400).startsWith("n101").endsWith("n500");
  }

  @Test
  void aFailureReachesTheCallerInItsPlace() {
    try (ReadAhead ahead = new ReadAhead(new Numbers(50, 20), 4)) {
      for (int i = 0; i < 20; i++) {
        assertThat(ahead.next()).isNotNull();
      }
      assertThatThrownBy(ahead::next).hasMessage("broken at 20");
    }
  }
}
