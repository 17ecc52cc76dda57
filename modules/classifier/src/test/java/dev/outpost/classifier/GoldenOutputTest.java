package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The classifier's whole output on every item of the development sets, against the golden file
 * recorded from it: labels, confidence, evidence (field, offsets, text, rule, states, targets),
 * actors, language, to the last digit. A faster classifier must not change what it says; a change
 * of rules that should change it regenerates the file on purpose, with {@code
 * -Dgolden.update=true}, and the commit says why.
 *
 * <p>The items are every {@code *.jsonl} under {@code devset/}: the English, per-language and
 * stream sets (whole real feeds, most items saying nothing of the four categories) and the story
 * events, in path order, each under its file and id.
 */
class GoldenOutputTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DEVSET = Path.of("devset");
  private static final Path GOLDEN = Path.of("src/test/resources/golden/classifier-output.jsonl.gz");
  private static final Path LANGUAGE_GOLDEN = Path.of("src/test/resources/golden/language-guesses.tsv.gz");

  /** Far below the sets' size today, so that losing a file is noticed. */
  private static final int AT_LEAST = 3_000;

  @Test
  void everyItemOfTheDevelopmentSetsIsClassifiedAsTheGoldenFileRecords() throws IOException {
    final Classifier classifier = Classifier.withDefaultRules();
    final List<String> actual = new ArrayList<>();
    final List<Path> files = files();
    for (final Path file : files) {
      final String name = DEVSET.relativize(file).toString().replace('\\', '/');
      for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        final JsonNode item = JSON.readTree(line);
        final String body = item.has("text") ? item.get("text").asText() : item.path("body").asText("");
        final Classification c = classifier.classify(item.path("title").asText(""), body, item.path("language").asText(null));
        actual.add(JSON.writeValueAsString(ClassificationJson.toJson(name + ":" + item.get("id").asText(), c)));
      }
    }
    if (Boolean.getBoolean("golden.update")) {
      write(GOLDEN, actual);
    }

    final List<String> expected = read(GOLDEN);

    assertThat(actual.size()).as("items classified").isGreaterThanOrEqualTo(AT_LEAST);
    for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
      // One item at a time, so a difference names its item rather than a 9,000-line diff.
      assertThat(actual.get(i)).as("item %d of the golden file", i + 1).isEqualTo(expected.get(i));
    }
    assertThat(actual).as("the items of the development sets, against the golden file's").hasSameSizeAs(expected);
  }

  /**
   * The language guess, pinned apart: most items of the sets declare their language, which the
   * classifier then takes as given, so the test above sees the guess only for the English sets.
   * Here every item is guessed from its title and text and from its title alone, as items that
   * declare nothing are.
   */
  @Test
  void everyItemOfTheDevelopmentSetsGetsTheLanguageGuessTheGoldenFileRecords() throws IOException {
    final Classifier classifier = Classifier.withDefaultRules();
    final List<String> actual = new ArrayList<>();
    for (final Path file : files()) {
      final String name = DEVSET.relativize(file).toString().replace('\\', '/');
      for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        final JsonNode item = JSON.readTree(line);
        final String title = item.path("title").asText("");
        final String body = item.has("text") ? item.get("text").asText() : item.path("body").asText("");
        actual.add(name + ":" + item.get("id").asText() + "\t" + classifier.identifyLanguage(title, body) + "\t" + classifier.identifyLanguage(title, ""));
      }
    }
    if (Boolean.getBoolean("golden.update")) {
      write(LANGUAGE_GOLDEN, actual);
    }

    final List<String> expected = read(LANGUAGE_GOLDEN);

    assertThat(actual.size()).as("items guessed").isGreaterThanOrEqualTo(AT_LEAST);
    assertThat(actual).as("item id, language of title and text, language of the title alone").containsExactlyElementsOf(expected);
  }

  /** Every {@code *.jsonl} under the development sets, in path order. */
  private static List<Path> files() throws IOException {
    try (Stream<Path> all = Files.walk(DEVSET)) {
      return all.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    }
  }

  private static List<String> read(final Path golden) throws IOException {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(golden)), StandardCharsets.UTF_8))) {
      return in.lines().toList();
    }
  }

  private static void write(final Path golden, final List<String> lines) throws IOException {
    Files.createDirectories(golden.getParent());
    try (OutputStream file = Files.newOutputStream(golden);
        Writer out = new OutputStreamWriter(new GZIPOutputStream(file), StandardCharsets.UTF_8)) {
      for (final String line : lines) {
        out.write(line);
        out.write('\n');
      }
    }
  }
}
