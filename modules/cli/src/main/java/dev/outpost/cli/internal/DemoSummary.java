package dev.outpost.cli.internal;

import dev.outpost.model.Category;
import dev.outpost.model.Story;
import dev.outpost.model.SurgeAlert;
import dev.outpost.subscribers.AlertPrinter;
import dev.outpost.topology.DeadLetterReason;
import dev.outpost.topology.PipelineMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** When the demo's samples have all gone through, and the summary it prints then. */
public final class DemoSummary {

  /** The most stories the summary names: the largest of those more than one report made. */
  static final int LARGEST = 3;

  /** Titles longer than this are cut, so a story stays on one line. */
  static final int MAX_TITLE = 120;

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
        && metrics.storySummariesOwed() == 0
        && printer.total() >= alerts;
  }

  /**
   * @param metrics the pipeline's counters
   * @param printer the alerts printed
   * @param seedId the seed article's item id
   * @param stories the stories the run's alerts joined, and their surges
   * @return the summary: items, alerts by category, items not read, duplicates, dead letters by
   *     reason, the seed article's alerts, the stories and the surges
   */
  public static String of(
      final PipelineMetrics metrics, final AlertPrinter printer, final String seedId, final DemoStories.Report stories) {
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
    s.append(String.format(Locale.ROOT, "%n")).append(stories(metrics.surges(), stories));
    return s.toString();
  }

  /**
   * @param surged surges the run's alerts set off
   * @param report the stories the run's alerts joined, and their surges
   * @return how many stories (and how many of them new), the largest that more than one report
   *     made (reports, sources, category, states, title), how many surges (and how many new), and
   *     each surge (state, category, recent stories against the baseline), without a final line
   *     break
   */
  static String stories(final long surged, final DemoStories.Report report) {
    final StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "  stories            %d (%d new)", report.stories().size(), report.started()));
    final List<Story> largest =
        report.stories().stream()
            .filter(story -> story.getItemCount() > 1)
            .sorted(
                Comparator.comparingInt(Story::getItemCount)
                    .thenComparingInt(Story::getSourceCount)
                    .reversed()
                    .thenComparing(Story::getFirstSeen)
                    .thenComparing(Story::getStoryId))
            .limit(LARGEST)
            .toList();
    for (final Story story : largest) {
      s.append(
          String.format(
              Locale.ROOT,
              "%n    %s from %s  %s  %s  \"%s\"",
              count(story.getItemCount(), "report"),
              count(story.getSourceCount(), "source"),
              story.getCategory().name().toLowerCase(Locale.ROOT),
              story.getStates().isEmpty() ? "-" : String.join(", ", story.getStates()),
              title(story.getTitle())));
    }
    final List<SurgeAlert> surges =
        report.surges().stream()
            .sorted(Comparator.comparing(SurgeAlert::getCategory).thenComparing(SurgeAlert::getState).thenComparing(SurgeAlert::getWindowEnd))
            .toList();
    s.append(String.format(Locale.ROOT, "%n  surges             %d (%d new)", surges.size(), surged));
    for (final SurgeAlert surge : surges) {
      final String window = days(Duration.between(surge.getWindowStart(), surge.getWindowEnd()));
      s.append(
          String.format(
              Locale.ROOT,
              "%n    %s %s  %s in %s, baseline %.1f per %s",
              surge.getState(),
              surge.getCategory().name().toLowerCase(Locale.ROOT),
              count(surge.getRecentStories(), "story", "stories"),
              window,
              surge.getBaselineAverage(),
              window));
    }
    return s.toString();
  }

  private static String count(final int n, final String noun) {
    return count(n, noun, noun + "s");
  }

  private static String count(final int n, final String one, final String many) {
    return n + " " + (n == 1 ? one : many);
  }

  private static String days(final Duration window) {
    final long days = window.toDays();
    return days * 86_400_000L == window.toMillis() ? count((int) days, "day") : window.toString();
  }

  private static String title(final String title) {
    final String line = title.replaceAll("\\s+", " ").strip();
    return line.length() <= MAX_TITLE ? line : line.substring(0, MAX_TITLE - 1) + "\u2026";
  }

}
