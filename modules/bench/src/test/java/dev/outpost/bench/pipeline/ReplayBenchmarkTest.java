package dev.outpost.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.outpost.model.NewsItem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The replay benchmark's figures, report, items and warm-up, without a broker. */
class ReplayBenchmarkTest {

  private static final List<String[]> EXCERPTS =
      List.of(new String[] {"First title", "First body of some words."}, new String[] {"Second title", "Second body, other words."});

  private static ReplayBenchmark.Result result(final double before, final double after, final double replay, final double classified) {
    return new ReplayBenchmark.Result(before, after, replay, classified, Duration.ofMillis(4_200), 1_234, new LabelShare(10_000, 450, 500), 30, 3L << 20);
  }

  @Test
  void bothReplaysAreComparedWithTheMeanRawProduceOfTheSameRun() {
    final ReplayBenchmark.Result result = result(30_000, 50_000, 32_000, 24_000);

    assertThat(result.producePerSecond()).isEqualTo(40_000);
    assertThat(result.ratio()).isCloseTo(0.8, within(1e-9));
    assertThat(result.classifiedRatio()).isCloseTo(0.6, within(1e-9));
  }

  @Test
  void theReportNamesTheCorpusAndTheStartUpApartAndEndsWithTheClassifiedRatio() {
    final ReplayBenchmark.Result result = result(30_000, 50_000, 32_000, 9_000);
    final StringWriter text = new StringWriter();

    result.print(new PrintWriter(text), 10_000, "whole items of real news feeds (2 items, 2 outlets)");

    final String[] lines = text.toString().strip().split("\n", -1);
    assertThat(lines[0]).startsWith("items ").contains("10,000: whole items of real news feeds (2 items, 2 outlets)").contains("30 daily Avro files, 3 MB");
    assertThat(text.toString())
        .contains("labelled             " + result.labels().describe())
        .contains("raw produce          30,000 items/s before the replays, 50,000 after")
        .contains("replay               32,000 items/s")
        .containsPattern("(?m)^start-up +4\\.2 s \\(")
        .containsPattern("(?m)^replay, classified +9,000 items/s \\(.*1,234 alerts\\)$");
    // The start-up is on a line of its own, not in the classified replay's rate.
    assertThat(lines).filteredOn(l -> l.startsWith("replay, classified")).singleElement().asString().doesNotContain("4.2 s");
    assertThat(lines[lines.length - 2]).isEqualTo(String.format(Locale.ROOT, "replay/produce %.2f", result.ratio()));
    assertThat(lines[lines.length - 1]).isEqualTo(String.format(Locale.ROOT, "classified replay/produce %.2f", result.classifiedRatio()));
  }

  @Test
  void theArchiveHoldsTheCorpusItemsInPublicationOrderAcrossThirtyDays() {
    final BenchmarkCorpus corpus =
        BenchmarkCorpus.feeds(
            List.of(
                new BenchmarkCorpus.FeedEntry("Outlet A", "Title one", "Text one.", "en"),
                new BenchmarkCorpus.FeedEntry("Outlet B", "Titre deux", "Texte deux.", "fr")));
    final int items = 1_000;

    final NewsItem first = ReplayBenchmark.archiveItem(corpus, "replay", 0, items);
    final NewsItem second = ReplayBenchmark.archiveItem(corpus, "replay", 1, items);
    final NewsItem last = ReplayBenchmark.archiveItem(corpus, "replay", items - 1, items);

    assertThat(second.getId()).isEqualTo("replay-1");
    assertThat(second.getSource()).isEqualTo("Outlet B");
    assertThat(second.getBody()).isEqualTo("Texte deux.");
    assertThat(second.getLanguage()).isEqualTo("fr");
    assertThat(second.getPublishedAt()).isAfter(first.getPublishedAt());
    assertThat(Duration.between(first.getPublishedAt(), last.getPublishedAt())).isPositive().isLessThan(Duration.ofDays(30));
    assertThat(ReplayBenchmark.archiveItem(corpus, "warm-up", 1, items).getId()).isEqualTo("warm-up-1");
  }

  @Test
  void theCorpusIsChosenByNameAsForThePipelineFeedsByDefault() {
    final ClassLoader loader = ReplayBenchmarkTest.class.getClassLoader();

    final BenchmarkCorpus feeds = BenchmarkCorpus.named(BenchmarkCorpus.NAMES.get(0), loader, EXCERPTS);
    final BenchmarkCorpus samples = BenchmarkCorpus.named("samples", loader, EXCERPTS);

    assertThat(BenchmarkCorpus.NAMES).containsExactly("feeds", "samples");
    assertThat(feeds.describe()).startsWith("whole items of real news feeds");
    assertThat(feeds.period()).isEqualTo(BenchmarkCorpus.feedEntries(loader, BenchmarkCorpus.FEEDS_RESOURCE).size());
    assertThat(samples.describe()).startsWith("1-3 KB items assembled from the bundled samples");
    assertThat(samples.item("replay", 1, Instant.EPOCH).getTitle()).isEqualTo("Second title");
    assertThatThrownBy(() -> BenchmarkCorpus.named("wire", loader, EXCERPTS)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'wire'");
  }

  @Test
  void theWarmUpReplaysHalfAsManyItemsWithinItsBounds() {
    assertThat(ReplayBenchmark.warmUpItems(1_000)).isEqualTo(1_000);
    assertThat(ReplayBenchmark.warmUpItems(4_000)).isEqualTo(2_000);
    assertThat(ReplayBenchmark.warmUpItems(100_000)).isEqualTo(50_000);
    assertThat(ReplayBenchmark.warmUpItems(1_000_000)).isEqualTo(50_000);
  }
}
