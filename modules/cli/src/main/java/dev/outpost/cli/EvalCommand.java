package dev.outpost.cli;

import dev.outpost.classifier.eval.EvaluationReport;
import dev.outpost.classifier.eval.LabelledItem;
import dev.outpost.classifier.eval.LabelledSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    EvaluationReport.of(input.toString(), items, classifierOptions.classifier()).print(spec.commandLine().getOut());
    return Outpost.EXIT_OK;
  }
}
