package dev.outpost.bench.pipeline;

import dev.outpost.model.NewsItem;
import java.time.Instant;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * How many of the benchmark's items the classifier labels, and how many alerts they make. Only
 * labelled items reach the story step, one alert per label, so what stories cost the pipeline
 * depends on this share: real news is labelled far less often than the bundled samples, which
 * were chosen for their labels.
 *
 * @param items items published
 * @param labelled items with at least one label
 * @param alerts labels over all items: the alerts the story step receives
 */
public record LabelShare(long items, long labelled, long alerts) {

  /** Checks the counts. */
  public LabelShare {
    if (items < 0 || labelled < 0 || labelled > items || alerts < labelled) {
      throw new IllegalArgumentException("inconsistent counts: " + items + " items, " + labelled + " labelled, " + alerts + " alerts");
    }
  }

  /**
   * Counts exactly, classifying each distinct item once: a corpus repeats its text every {@link
   * BenchmarkCorpus#period} numbers, so item {@code n} is labelled as item {@code n mod period}
   * is.
   *
   * @param corpus the items
   * @param items how many items, numbered from 0
   * @param labels the number of labels the classifier gives an item
   * @return the counts over all {@code items}
   */
  public static LabelShare of(final BenchmarkCorpus corpus, final int items, final ToIntFunction<NewsItem> labels) {
    final int period = corpus.period();
    final Instant now = Instant.now();
    long labelled = 0;
    long alerts = 0;
    for (int n = 0; n < Math.min(period, items); n++) {
      final int k = labels.applyAsInt(corpus.item("labels", n, now));
      // Numbers n, n + period, n + 2 period, ... below items.
      final long times = (items - 1 - n) / period + 1;
      if (k > 0) {
        labelled += times;
        alerts += times * k;
      }
    }
    return new LabelShare(items, labelled, alerts);
  }

  /** @return labelled items over items */
  public double share() {
    return items == 0 ? 0 : labelled / (double) items;
  }

  /** @return alerts over items */
  public double alertsPerItem() {
    return items == 0 ? 0 : alerts / (double) items;
  }

  /** @return for the report: "63.8% of items labelled (66,000 alerts, 1.32 per item)" */
  public String describe() {
    return String.format(
        Locale.ROOT, "%.1f%% of items labelled (%,d alerts, %.2f per item)", 100 * share(), alerts, alertsPerItem());
  }
}
