package dev.outpost.classifier.eval;

import dev.outpost.classifier.Category;
import dev.outpost.classifier.Classification;
import dev.outpost.classifier.Classifier;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A classifier scored on a labelled set, next to the naive keyword matcher it must beat: per
 * category, per language (declared, else identified) and per feed (else outlet), and as alert
 * precision and recall at the set's own mix of items. {@link #print} writes the report {@code
 * outpost eval} shows; its last line is {@code macro-F1 0.xxx}.
 */
public final class EvaluationReport {

  /**
   * One group's scores: a language's or a feed's.
   *
   * @param name the language or feed; "(none)" for items of no feed
   * @param scores the classifier's scores on the group's items
   * @param notRead of its items, how many are in a language Outpost does not classify
   */
  public record Group(String name, Evaluation scores, long notRead) {}

  private final String source;
  private final String classifierVersion;
  private final int items;
  private final Evaluation classifier;
  private final Evaluation keywordMatcher;
  private final List<Group> languages;
  private final List<Group> feeds;

  private EvaluationReport(
      final String source,
      final String classifierVersion,
      final int items,
      final Evaluation classifier,
      final Evaluation keywordMatcher,
      final List<Group> languages,
      final List<Group> feeds) {
    this.source = source;
    this.classifierVersion = classifierVersion;
    this.items = items;
    this.classifier = classifier;
    this.keywordMatcher = keywordMatcher;
    this.languages = List.copyOf(languages);
    this.feeds = List.copyOf(feeds);
  }

  /**
   * Classifies every item, honouring its declared language, and scores the classifier and its
   * keyword matcher.
   *
   * @param source where the set was read from, for the report's first line
   * @param items the labelled set
   * @param classifier the classifier to score
   * @return the report
   */
  public static EvaluationReport of(final String source, final List<LabelledItem> items, final Classifier classifier) {
    final Map<LabelledItem, Classification> results = new IdentityHashMap<>();
    for (final LabelledItem item : items) {
      results.put(item, classifier.classify(item.title(), item.text(), item.language()));
    }
    final Function<LabelledItem, Set<Category>> labeller = item -> Set.copyOf(results.get(item).labels());
    // Declared, else what the classifier identified: the language each item was read in.
    final Function<LabelledItem, String> language = item -> results.get(item).language();
    final Function<LabelledItem, String> feed = item -> item.feed().isEmpty() ? "(none)" : item.feed();
    return new EvaluationReport(
        source,
        classifier.version(),
        items.size(),
        Evaluation.of(items, labeller),
        Evaluation.of(items, item -> classifier.keywordBaseline(item.title(), item.text())),
        groups(items, language, labeller, results),
        groups(items, feed, labeller, results));
  }

  private static List<Group> groups(
      final List<LabelledItem> items,
      final Function<LabelledItem, String> group,
      final Function<LabelledItem, Set<Category>> labeller,
      final Map<LabelledItem, Classification> results) {
    final Map<String, Long> unread = new TreeMap<>();
    for (final LabelledItem item : items) {
      if (!results.get(item).languageSupported()) {
        unread.merge(group.apply(item), 1L, Long::sum);
      }
    }
    final List<Group> groups = new ArrayList<>();
    Evaluation.byGroup(items, group, labeller)
        .forEach((name, scores) -> groups.add(new Group(name, scores, unread.getOrDefault(name, 0L))));
    return groups;
  }

  /** @return the classifier's scores on the whole set */
  public Evaluation classifier() {
    return classifier;
  }

  /** @return the keyword matcher's scores on the whole set: the floor to beat */
  public Evaluation keywordMatcher() {
    return keywordMatcher;
  }

  /** @return the classifier's scores per language it read each item in, by language in order */
  public List<Group> languages() {
    return languages;
  }

  /** @return the classifier's scores per feed, else outlet, by name in order */
  public List<Group> feeds() {
    return feeds;
  }

  /**
   * Writes the report: the per-category table, the no-label false positives, the per-language and
   * per-feed tables, alert precision and recall at the stream base rate, and both macro-F1s, the
   * classifier's last.
   *
   * @param out where to write; flushed
   */
  public void print(final PrintWriter out) {
    out.printf(Locale.ROOT, "%d items from %s, classifier %s%n%n", items, source, classifierVersion);
    out.printf(Locale.ROOT, "%-20s %6s %6s %6s   %6s %6s %6s%n", "category", "P", "R", "F1", "kw P", "kw R", "kw F1");
    for (final Category c : Category.values()) {
      final Evaluation.Score s = classifier.score(c);
      final Evaluation.Score k = keywordMatcher.score(c);
      out.printf(
          Locale.ROOT,
          "%-20s %6.3f %6.3f %6.3f   %6.3f %6.3f %6.3f%n",
          c.label(), s.precision(), s.recall(), s.f1(), k.precision(), k.recall(), k.f1());
    }
    out.printf(Locale.ROOT, "%nno-label items given a label: %d of %d (%.1f%%); keyword matcher: %d (%.1f%%)%n",
        classifier.noLabelFlagged(), classifier.noLabelItems(), 100 * classifier.noLabelFlaggedRate(),
        keywordMatcher.noLabelFlagged(), 100 * keywordMatcher.noLabelFlaggedRate());
    out.printf(Locale.ROOT, "%nper language (declared, else identified; not read: a language Outpost does not classify)%n");
    printGroups(out, "language", languages);
    out.printf(Locale.ROOT, "%nper feed (the item's feed, else its outlet)%n");
    printGroups(out, "feed", feeds);

    out.printf(Locale.ROOT, "%nalert precision/recall at the stream base rate (this set's mix of items)%n");
    out.printf(Locale.ROOT, "%-20s %9s %6s %6s%n", "category", "base rate", "P", "R");
    for (final Category c : Category.values()) {
      final Evaluation.Score s = classifier.score(c);
      out.printf(
          Locale.ROOT, "%-20s %8.1f%% %6.3f %6.3f%n", c.label(), 100 * classifier.baseRate(c), s.precision(), s.recall());
    }
    final Evaluation.Score pooled = classifier.pooled();
    out.printf(
        Locale.ROOT,
        "%-20s %9s %6.3f %6.3f   (%d alerts raised, %d right, %d due)%n",
        "every alert, pooled", "", pooled.precision(), pooled.recall(),
        pooled.truePositives() + pooled.falsePositives(), pooled.truePositives(),
        pooled.truePositives() + pooled.falseNegatives());
    out.printf(
        Locale.ROOT,
        "no-label items given any label: %.1f%% (%d of %d)%n%n",
        100 * classifier.noLabelFlaggedRate(), classifier.noLabelFlagged(), classifier.noLabelItems());
    out.printf(Locale.ROOT, "keyword matcher macro-F1 %.3f%n", keywordMatcher.macroF1());
    out.printf(Locale.ROOT, "macro-F1 %.3f%n", classifier.macroF1());
    out.flush();
  }

  private static void printGroups(final PrintWriter out, final String heading, final List<Group> groups) {
    final int width = Math.max(heading.length(), groups.stream().mapToInt(g -> g.name().length()).max().orElse(0));
    final String row = "%-" + width + "s %6s %8s %8s  %s%n";
    out.printf(Locale.ROOT, row, heading, "items", "not read", "macro-F1", "no-label items given a label");
    for (final Group g : groups) {
      final Evaluation e = g.scores();
      out.printf(
          Locale.ROOT,
          row,
          g.name(),
          e.items(),
          g.notRead(),
          String.format(Locale.ROOT, "%.3f", e.macroF1()),
          e.noLabelItems() == 0
              ? "- of 0"
              : String.format(
                  Locale.ROOT, "%d of %d (%.1f%%)", e.noLabelFlagged(), e.noLabelItems(), 100 * e.noLabelFlaggedRate()));
    }
  }
}
