package dev.outpost.cli;

import dev.outpost.classifier.Category;
import dev.outpost.classifier.Classification;
import dev.outpost.classifier.Classifier;
import dev.outpost.classifier.eval.Evaluation;
import dev.outpost.classifier.eval.LabelledItem;
import dev.outpost.classifier.eval.LabelledSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code outpost eval}: scores the classifier, and a naive keyword matcher, on a labelled set. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Score the classifier on a labelled set.",
      "Reads JSON Lines (id, title, text, labels; optionally language, feed, outlet) and prints"
          + " precision, recall and F1 per category, macro-F1, and how many no-label items got a"
          + " label; the same for a naive keyword matcher, the floor to beat.",
      "Then macro-F1 and the no-label false-positive rate per language (declared, else"
          + " identified) and per feed (else outlet), and alert precision/recall at the stream base"
          + " rate: per category its share of the items, precision and recall pooled over every"
          + " alert, and the share of no-label items given any label.",
      "An item's declared language is honoured. The last line is 'macro-F1 0.xxx'."
    })
public final class EvalCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;
  @Mixin private ClassifierOptions classifierOptions;

  @Option(
      names = {"-i", "--input"},
      required = true,
      paramLabel = "FILE",
      description = "The labelled set, e.g. modules/classifier/devset/holdout.jsonl.")
  private Path input;

  @Override
  public Integer call() {
    UserException.requireFile("Input file", input, "");
    final List<LabelledItem> items;
    try {
      items = LabelledSet.parse(input.toString(), Files.readString(input, StandardCharsets.UTF_8));
    } catch (final IOException e) {
      throw new UserException("Cannot read '" + input + "': " + e.getMessage(), e);
    } catch (final IllegalArgumentException e) {
      throw new UserException(e.getMessage(), e);
    }
    if (items.isEmpty()) {
      throw new UserException("'" + input + "' holds no labelled items");
    }
    final Classifier classifier = classifierOptions.classifier();
    final Map<String, Classification> results = new HashMap<>();
    for (final LabelledItem item : items) {
      results.put(item.id(), classifier.classify(item.title(), item.text(), item.language()));
    }
    final Function<LabelledItem, Set<Category>> labeller = item -> Set.copyOf(results.get(item.id()).labels());
    final Evaluation rules = Evaluation.of(items, labeller);
    final Evaluation floor = Evaluation.of(items, item -> classifier.keywordBaseline(item.title(), item.text()));

    final PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%d items from %s, classifier %s%n%n", items.size(), input, classifier.version());
    out.printf(Locale.ROOT, "%-20s %6s %6s %6s   %6s %6s %6s%n", "category", "P", "R", "F1", "kw P", "kw R", "kw F1");
    for (final Category c : Category.values()) {
      final Evaluation.Score s = rules.score(c);
      final Evaluation.Score k = floor.score(c);
      out.printf(
          Locale.ROOT,
          "%-20s %6.3f %6.3f %6.3f   %6.3f %6.3f %6.3f%n",
          c.label(), s.precision(), s.recall(), s.f1(), k.precision(), k.recall(), k.f1());
    }
    out.printf(Locale.ROOT, "%nno-label items given a label: %d of %d (%.1f%%); keyword matcher: %d (%.1f%%)%n",
        rules.noLabelFlagged(), rules.noLabelItems(), 100 * rules.noLabelFlaggedRate(),
        floor.noLabelFlagged(), 100 * floor.noLabelFlaggedRate());
    // Declared, else what the classifier identified: the language each item was read in.
    final Function<LabelledItem, String> language = item -> results.get(item.id()).language();
    final Function<LabelledItem, String> feed = item -> item.feed().isEmpty() ? "(none)" : item.feed();
    out.printf(Locale.ROOT, "%nper language (declared, else identified; not read: a language Outpost does not classify)%n");
    groupTable(out, "language", items, language, labeller, results);
    out.printf(Locale.ROOT, "%nper feed (the item's feed, else its outlet)%n");
    groupTable(out, "feed", items, feed, labeller, results);

    out.printf(Locale.ROOT, "%nalert precision/recall at the stream base rate (this set's mix of items)%n");
    out.printf(Locale.ROOT, "%-20s %9s %6s %6s%n", "category", "base rate", "P", "R");
    for (final Category c : Category.values()) {
      final Evaluation.Score s = rules.score(c);
      out.printf(
          Locale.ROOT, "%-20s %8.1f%% %6.3f %6.3f%n", c.label(), 100 * rules.baseRate(c), s.precision(), s.recall());
    }
    final Evaluation.Score pooled = rules.pooled();
    out.printf(
        Locale.ROOT,
        "%-20s %9s %6.3f %6.3f   (%d alerts raised, %d right, %d due)%n",
        "every alert, pooled", "", pooled.precision(), pooled.recall(),
        pooled.truePositives() + pooled.falsePositives(), pooled.truePositives(),
        pooled.truePositives() + pooled.falseNegatives());
    out.printf(
        Locale.ROOT,
        "no-label items given any label: %.1f%% (%d of %d)%n%n",
        100 * rules.noLabelFlaggedRate(), rules.noLabelFlagged(), rules.noLabelItems());
    out.printf(Locale.ROOT, "keyword matcher macro-F1 %.3f%n", floor.macroF1());
    out.printf(Locale.ROOT, "macro-F1 %.3f%n", rules.macroF1());
    out.flush();
    return Outpost.EXIT_OK;
  }

  private static void groupTable(
      final PrintWriter out,
      final String name,
      final List<LabelledItem> items,
      final Function<LabelledItem, String> group,
      final Function<LabelledItem, Set<Category>> labeller,
      final Map<String, Classification> results) {
    final Map<String, Evaluation> groups = Evaluation.byGroup(items, group, labeller);
    final Map<String, Long> unread = new TreeMap<>();
    for (final LabelledItem item : items) {
      if (!results.get(item.id()).languageSupported()) {
        unread.merge(group.apply(item), 1L, Long::sum);
      }
    }
    final int width = Math.max(name.length(), groups.keySet().stream().mapToInt(String::length).max().orElse(0));
    final String row = "%-" + width + "s %6s %8s %8s  %s%n";
    out.printf(Locale.ROOT, row, name, "items", "not read", "macro-F1", "no-label items given a label");
    groups.forEach(
        (key, e) ->
            out.printf(
                Locale.ROOT,
                row,
                key,
                e.items(),
                unread.getOrDefault(key, 0L),
                String.format(Locale.ROOT, "%.3f", e.macroF1()),
                e.noLabelItems() == 0
                    ? "- of 0"
                    : String.format(
                        Locale.ROOT, "%d of %d (%.1f%%)", e.noLabelFlagged(), e.noLabelItems(), 100 * e.noLabelFlaggedRate())));
  }
}
