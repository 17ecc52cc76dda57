package dev.outpost.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.NewsItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * The share of labelled items: counted on one period of distinct items, it is what classifying
 * every item would give.
 */
class LabelShareTest {

  private static final List<String[]> EXCERPTS =
      List.of(
          new String[] {"Navy starts drills", "x".repeat(300)},
          new String[] {"Troops sent north", "y".repeat(500)},
          new String[] {"Envoy summoned", "z".repeat(700)},
          new String[] {"Weather", "w".repeat(400)});

  /** Two labels for drills, one for a 3 KB item about troops, none otherwise. */
  private static final ToIntFunction<NewsItem> LABELS =
      item ->
          item.getTitle().contains("drills") ? 2 : item.getTitle().contains("Troops") && item.getBody().length() >= 3 * 1024 ? 1 : 0;

  @Test
  void countingOnePeriodGivesWhatClassifyingEveryItemGives() {
    for (final int items : new int[] {1, 5, 12, 13, 1000, 1001}) {
      final LabelShare share = LabelShare.of(BenchmarkCorpus.samples(EXCERPTS), items, LABELS);

      long labelled = 0;
      long alerts = 0;
      for (int n = 0; n < items; n++) {
        final int k = LABELS.applyAsInt(BenchmarkItems.item(EXCERPTS, "bench", n, Instant.EPOCH));
        labelled += k > 0 ? 1 : 0;
        alerts += k;
      }
      assertThat(share).as("%d items", items).isEqualTo(new LabelShare(items, labelled, alerts));
    }
  }

  @Test
  void eachDistinctItemIsClassifiedOnce() {
    final List<String> seen = new ArrayList<>();

    LabelShare.of(BenchmarkCorpus.samples(EXCERPTS), 100_000, item -> {
      seen.add(item.getId());
      return 0;
    });

    assertThat(seen).hasSize(BenchmarkItems.period(EXCERPTS)).doesNotHaveDuplicates();
  }

  @Test
  void theShareAndAlertsPerItemAreOverAllItems() {
    final LabelShare share = new LabelShare(1000, 250, 400);

    assertThat(share.share()).isEqualTo(0.25);
    assertThat(share.alertsPerItem()).isEqualTo(0.4);
    assertThat(share.describe()).isEqualTo("25.0% of items labelled (400 alerts, 0.40 per item)");
    assertThat(new LabelShare(0, 0, 0).share()).isZero();
  }

  @Test
  void inconsistentCountsAreRefused() {
    assertThatThrownBy(() -> new LabelShare(10, 11, 11)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LabelShare(10, 5, 4)).isInstanceOf(IllegalArgumentException.class);
  }
}
