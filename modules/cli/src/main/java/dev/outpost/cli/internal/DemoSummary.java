package dev.outpost.cli.internal;

import dev.outpost.model.Category;
import dev.outpost.subscribers.AlertPrinter;
import dev.outpost.topology.DeadLetterReason;
import dev.outpost.topology.PipelineMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** When the demo's samples have all gone through, and the summary it prints then. */
public final class DemoSummary {

  private DemoSummary() {}

  /**
   * @param feed the samples published
   * @param metrics the pipeline's counters
   * @param printer the alerts printed
   * @return whether every sample was classified, every bad record dead-lettered, every alert put
   *     into its story (one repartition hop after classification) and printed
   */
  public static boolean doneWith(final DemoFeed feed, final PipelineMetrics metrics, final AlertPrinter printer) {
    final long alerts = metrics.alertsTotal();
    return metrics.classifiedItems() >= feed.items()
        && metrics.deadLetters() >= feed.badRecords()
        && metrics.duplicates() >= feed.repeats()
        && metrics.alertsThroughStories() >= alerts
        && printer.total() >= alerts;
  }

  /**
   * @param metrics the pipeline's counters
   * @param printer the alerts printed
   * @param seedId the seed article's item id
   * @return the summary: items, alerts by category, items not read, duplicates, dead letters by
   *     reason, and the seed article's alerts
   */
  public static String of(final PipelineMetrics metrics, final AlertPrinter printer, final String seedId) {
    final StringBuilder s = new StringBuilder("Summary\n");
    s.append(String.format(Locale.ROOT, "  items classified   %d%n", metrics.classifiedItems()));
    s.append(String.format(Locale.ROOT, "  alerts             %d%n", printer.total()));
    for (final Category c : Category.values()) {
      s.append(
          String.format(
              Locale.ROOT,
              "    %-22s %d%n",
              c.name().toLowerCase(Locale.ROOT),
              printer.counts().getOrDefault(c, 0)));
    }
    // Items in a language Outpost does not classify: written to news.classified.v1 unread, no alert.
    final Map<String, Long> unread = metrics.unsupportedLanguages();
    s.append(String.format(Locale.ROOT, "  not read           %d", metrics.unsupportedLanguageItems()));
    if (!unread.isEmpty()) {
      final List<String> languages = new ArrayList<>();
      unread.forEach((language, n) -> languages.add(language + " " + n));
      s.append(" (language not supported: ").append(String.join(", ", languages)).append(')');
    }
    s.append(String.format(Locale.ROOT, "%n"));
    s.append(String.format(Locale.ROOT, "  duplicates dropped %d%n", metrics.duplicates()));
    s.append(String.format(Locale.ROOT, "  dead letters       %d", metrics.deadLetters()));
    final List<String> reasons = new ArrayList<>();
    for (final DeadLetterReason reason : DeadLetterReason.values()) {
      if (metrics.deadLetters(reason) > 0) {
        reasons.add(reason.tag() + " " + metrics.deadLetters(reason));
      }
    }
    if (!reasons.isEmpty()) {
      s.append(" (").append(String.join(", ", reasons)).append(')');
    }
    final List<Category> seed = printer.alertsFor(seedId).stream().sorted().toList();
    s.append(
        String.format(
            Locale.ROOT,
            "%n  seed article       %d alerts %s",
            seed.size(),
            seed.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList()));
    return s.toString();
  }

}
