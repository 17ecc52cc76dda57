package dev.outpost.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.NewsItem;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchmarkCorpusTest {

  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void feedItemsComeWholeUnderTheirOwnOutletAndLanguageAndComeRound() {
    final BenchmarkCorpus corpus =
        BenchmarkCorpus.feeds(
            List.of(
                new BenchmarkCorpus.FeedEntry("Outlet A", "Title one", "Text one.", "en"),
                new BenchmarkCorpus.FeedEntry("Outlet B", "Titre deux", "Texte deux.", "fr")));

    final NewsItem second = corpus.item("bench", 1, T);
    assertThat(second.getId()).isEqualTo("bench-1");
    assertThat(second.getSource()).isEqualTo("Outlet B");
    assertThat(second.getTitle()).isEqualTo("Titre deux");
    assertThat(second.getBody()).isEqualTo("Texte deux.");
    assertThat(second.getLanguage()).isEqualTo("fr");
    assertThat(second.getPublishedAt()).isEqualTo(T);
    assertThat(corpus.period()).isEqualTo(2);
    assertThat(corpus.item("bench", 3, T).getTitle()).isEqualTo("Titre deux");
    assertThat(corpus.describe()).contains("2 items", "2 outlets");
  }

  @Test
  void theBundledFeedsAreWholeRealFeedsOfManyOutletsAndLanguages() {
    final List<BenchmarkCorpus.FeedEntry> entries =
        BenchmarkCorpus.feedEntries(BenchmarkCorpusTest.class.getClassLoader(), BenchmarkCorpus.FEEDS_RESOURCE);

    final Set<String> outlets = new HashSet<>();
    final Set<String> languages = new HashSet<>();
    entries.forEach(e -> {
      outlets.add(e.outlet());
      languages.add(e.language());
    });
    assertThat(entries).hasSizeGreaterThan(1000).allSatisfy(e -> assertThat(e.title()).isNotBlank());
    assertThat(outlets).hasSizeGreaterThan(10);
    assertThat(languages).hasSizeGreaterThan(1);
  }

  @Test
  void aMissingFeedResourceIsNamed() {
    assertThatThrownBy(() -> BenchmarkCorpus.feedEntries(BenchmarkCorpusTest.class.getClassLoader(), "feeds/none.jsonl"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("feeds/none.jsonl");
  }

  @Test
  void noFeedItemsIsAnError() {
    assertThatThrownBy(() -> BenchmarkCorpus.feeds(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
