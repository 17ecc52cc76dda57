package dev.outpost.cli;

import dev.outpost.classifier.Category;
import dev.outpost.classifier.Classifier;
import dev.outpost.classifier.eval.Evaluation;
import dev.outpost.classifier.eval.LabelledItem;
import dev.outpost.classifier.eval.LabelledSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
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
      "Reads JSON Lines (id, title, text, labels) and prints precision, recall and F1 per",
      "category, macro-F1, and how many no-label items got a label; the same for a naive",
      "keyword matcher, the floor to beat. The last line is 'macro-F1 0.xxx'."
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
    final Evaluation rules =
        Evaluation.of(items, item -> java.util.Set.copyOf(classifier.classify(item.title(), item.text()).labels()));
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
    out.printf(Locale.ROOT, "keyword matcher macro-F1 %.3f%n", floor.macroF1());
    out.printf(Locale.ROOT, "macro-F1 %.3f%n", rules.macroF1());
    out.flush();
    return Outpost.EXIT_OK;
  }
}
