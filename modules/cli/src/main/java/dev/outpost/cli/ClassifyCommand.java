package dev.outpost.cli;

import dev.outpost.classifier.ClassificationJson;
import dev.outpost.classifier.Classifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code outpost classify}: classifies JSON Lines items offline, without Kafka. */
@Command(
    name = "classify",
    mixinStandardHelpOptions = true,
    description = {
      "Classify news items offline, without Kafka.",
      "Reads JSON Lines (id, title, text or body, and optionally language, a BCP 47 tag) and"
          + " writes one JSON result per line: id, labels, confidence, evidence, actors,"
          + " classifierVersion, language (the one declared, else identified) and"
          + " languageSupported (false: the item is in a language Outpost does not classify, so"
          + " it was not read and has no labels)."
    })
public final class ClassifyCommand implements Callable<Integer> {

  private static final int PROGRESS_EVERY = 10_000;

  @Spec private CommandSpec spec;
  @Mixin private ClassifierOptions classifierOptions;

  @Option(
      names = {"-i", "--input"},
      paramLabel = "FILE",
      defaultValue = "-",
      description = "JSON Lines to read; - for standard input. Default: ${DEFAULT-VALUE}.")
  private String input;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      defaultValue = "-",
      description = "Where to write; - for standard output. Default: ${DEFAULT-VALUE}.")
  private String output;

  @Option(
      names = "--skip-invalid",
      description = "Skip bad lines, count them and report them at the end, instead of stopping at the first.")
  private boolean skipInvalid;

  @Override
  public Integer call() throws IOException {
    final Classifier classifier = classifierOptions.classifier();
    final PrintWriter err = spec.commandLine().getErr();
    final List<String> skipped = new ArrayList<>();
    long lines = 0;
    long written = 0;
    try (BufferedReader in = new BufferedReader(openInput());
        Writer out = openOutput()) {
      String line;
      while ((line = in.readLine()) != null) {
        lines++;
        if (line.isBlank()) {
          continue;
        }
        final ClassificationJson.Item item;
        try {
          item = ClassificationJson.item(line);
        } catch (final IllegalArgumentException e) {
          final String where = (input.equals("-") ? "stdin" : input) + ":" + lines + ": " + e.getMessage();
          if (!skipInvalid) {
            throw new UserException(where + " (use --skip-invalid to skip bad lines)", e);
          }
          skipped.add(where);
          continue;
        }
        out.write(ClassificationJson.toJson(item.id(), item.classify(classifier)).toString());
        out.write('\n');
        written++;
        if (written % PROGRESS_EVERY == 0 && !output.equals("-")) {
          err.printf("classified %d item(s)%n", written);
          err.flush();
        }
      }
    }
    if (!skipped.isEmpty()) {
      err.printf("Skipped %d invalid line(s):%n", skipped.size());
      skipped.stream().limit(20).forEach(s -> err.println("  " + s));
      if (skipped.size() > 20) {
        err.printf("  ... and %d more%n", skipped.size() - 20);
      }
    }
    if (!output.equals("-")) {
      err.printf("Classified %d item(s) into %s%n", written, output);
    }
    err.flush();
    return Outpost.EXIT_OK;
  }

  private Reader openInput() {
    if (input.equals("-")) {
      return new InputStreamReader(System.in, StandardCharsets.UTF_8);
    }
    final Path path = UserException.requireFile("Input file", Path.of(input), "");
    try {
      return Files.newBufferedReader(path, StandardCharsets.UTF_8);
    } catch (final IOException e) {
      throw new UncheckedIOException("Cannot read " + input, e);
    }
  }

  private Writer openOutput() {
    if (output.equals("-")) {
      // Standard output stays open: the command line's own writer owns it.
      final PrintWriter out = spec.commandLine().getOut();
      return new Writer() {
        @Override
        public void write(final char[] buf, final int off, final int len) {
          out.write(buf, off, len);
        }

        @Override
        public void flush() {
          out.flush();
        }

        @Override
        public void close() {
          out.flush();
        }
      };
    }
    try {
      return Files.newBufferedWriter(Path.of(output), StandardCharsets.UTF_8);
    } catch (final IOException e) {
      throw new UserException("Cannot write output file '" + output + "': " + e.getMessage(), e);
    }
  }
}
