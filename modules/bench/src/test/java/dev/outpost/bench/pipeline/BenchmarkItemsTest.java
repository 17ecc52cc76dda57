package dev.outpost.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.NewsItem;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark items: 1, 2 and 3 KB in turn, real titles, and the same item for the same number. */
class BenchmarkItemsTest {

  private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
  private static final List<String[]> EXCERPTS =
      List.of(
          new String[] {"Navy starts drills", "x".repeat(300)},
          new String[] {"Troops sent north", "y".repeat(500)},
          new String[] {"Envoy summoned", "z".repeat(700)});

  @Test
  void itemsAreOneTwoAndThreeKilobytesInTurnUnderARealTitle() {
    final List<NewsItem> items = List.of(item(0), item(1), item(2), item(3));

    assertThat(items).extracting(NewsItem::getId).containsExactly("bench-0", "bench-1", "bench-2", "bench-3");
    assertThat(items).extracting(NewsItem::getTitle).containsExactly("Navy starts drills", "Troops sent north", "Envoy summoned", "Navy starts drills");
    for (int n = 0; n < items.size(); n++) {
      final int target = 1024 * (1 + n % 3);
      // Whole excerpts are appended until the target is reached, so one excerpt at most overshoots it.
      assertThat(items.get(n).getBody().length()).as("item %d", n).isBetween(target, target + 702);
    }
    assertThat(items.get(0).getPublishedAt()).isEqualTo(T);
    assertThat(items.get(0).getIngestedAt()).isEqualTo(T);
  }

  @Test
  void theSameNumberGivesTheSameItem() {
    assertThat(item(41)).isEqualTo(item(41)).isNotEqualTo(item(42));
  }

  @Test
  void itemsRepeatTheirTextEveryPeriod() {
    // Three excerpts and three sizes: the sizes come round with the excerpts.
    assertThat(BenchmarkItems.period(EXCERPTS)).isEqualTo(3);
    final List<String[]> four = List.of(EXCERPTS.get(0), EXCERPTS.get(1), EXCERPTS.get(2), new String[] {"Parade held", "p".repeat(100)});
    assertThat(BenchmarkItems.period(four)).isEqualTo(12);
    for (int n = 0; n < 30; n++) {
      final NewsItem a = BenchmarkItems.item(four, "bench", n, T);
      final NewsItem b = BenchmarkItems.item(four, "bench", n + 12, T);
      assertThat(b.getTitle()).isEqualTo(a.getTitle());
      assertThat(b.getBody()).as("item %d", n).isEqualTo(a.getBody());
    }
    assertThat(BenchmarkItems.item(four, "bench", 4, T).getBody()).isNotEqualTo(BenchmarkItems.item(four, "bench", 0, T).getBody());
  }

  @Test
  void excerptsAreTheTitleAndBodyOfEachLineInOrder() {
    final List<String[]> excerpts = BenchmarkItems.excerpts(BenchmarkItemsTest.class.getClassLoader(), "excerpts.jsonl");

    assertThat(excerpts)
        .containsExactly(new String[] {"Navy starts drills", "The navy began drills."}, new String[] {"Envoy summoned", ""});
  }

  @Test
  void aMissingResourceIsNamed() {
    assertThatThrownBy(() -> BenchmarkItems.excerpts(BenchmarkItemsTest.class.getClassLoader(), "samples/none.jsonl"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("samples/none.jsonl");
  }

  private static NewsItem item(final int n) {
    return BenchmarkItems.item(EXCERPTS, "bench", n, T);
  }
}
