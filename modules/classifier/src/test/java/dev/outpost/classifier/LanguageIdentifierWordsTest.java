package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The words the language guess reads once capitalized words (names, mostly) are set aside, and the
 * letters it counts in them.
 */
class LanguageIdentifierWordsTest {

  /** The same split written as a pattern: what the one-pass scan has to agree with. */
  private static final Pattern SEPARATORS = Pattern.compile("[\\s\\p{Punct}\u00AB\u00BB\u201C\u201D\u2018\u2019]+");

  private static String byPattern(final String text) {
    final StringBuilder out = new StringBuilder();
    for (final String word : SEPARATORS.split(text, -1)) {
      if (!word.isEmpty() && !Character.isUpperCase(word.codePointAt(0))) {
        out.append(word).append(' ');
      }
    }
    return out.toString();
  }

  /** The letter count the guess used to take from a stream of code points. */
  private static int lettersByStream(final String text) {
    return (int) text.codePoints().filter(Character::isLetter).count();
  }

  @Test
  void capitalizedWordsAndSeparatorsAreDropped() {
    assertThat(LanguageIdentifier.withoutCapitalizedWords("Russia's troops,  and «Moscow» said: ‘no’ — yes"))
        .isEqualTo("s troops and said no — yes ");
    assertThat(LanguageIdentifier.withoutCapitalizedWords("")).isEmpty();
    assertThat(LanguageIdentifier.withoutCapitalizedWords(" \t\r\n.,;!?")).isEmpty();
    assertThat(LanguageIdentifier.withoutCapitalizedWords("Élysée élysée Ωmega ωmega")).isEqualTo("élysée ωmega ");
    // A word starting with a letter outside the Basic Multilingual Plane: its code point decides.
    assertThat(LanguageIdentifier.withoutCapitalizedWords("\uD801\uDC00x \uD801\uDC28y")).isEqualTo("\uD801\uDC28y ");
  }

  @Test
  void theScanAgreesWithThePatternOnEdgeCases() {
    final List<String> cases =
        List.of(
            "",
            " ",
            "a",
            "A",
            "..a..",
            "a\u000Bb\fc",
            "x_y z`w {v}~u",
            "\u201Cquoted\u201D \u2018single\u2019",
            "\u00ABguillemets\u00BB",
            "mixed CASE words Here and there",
            "numbers 3,000 and 12.5%",
            "日本 と 中国",
            "\u00A0non-breaking\u00A0space",
            "trailing separators ,,, ",
            "\uD835\uDC00 outside the plane, \uD800 unpaired \uDC00 halves");
    for (final String text : cases) {
      assertThat(LanguageIdentifier.withoutCapitalizedWords(text)).as("'%s'", text).isEqualTo(byPattern(text));
      assertThat(LanguageIdentifier.letters(text)).as("letters of '%s'", text).isEqualTo(lettersByStream(text));
    }
  }

  @Test
  void theScanAgreesWithThePatternOnEveryDevelopmentText() throws IOException {
    final ObjectMapper json = new ObjectMapper();
    final List<Path> files = new ArrayList<>();
    try (Stream<Path> lang = Files.list(Path.of("devset/lang"))) {
      lang.filter(p -> p.toString().endsWith(".jsonl")).sorted().forEach(files::add);
    }
    files.add(Path.of("devset/stream/tune.jsonl"));
    int texts = 0;
    for (final Path file : files) {
      for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        final JsonNode item = json.readTree(line);
        for (final String field : List.of("title", "text")) {
          final String text = item.path(field).asText("");
          assertThat(LanguageIdentifier.withoutCapitalizedWords(text)).as("%s %s", file, item.path("id")).isEqualTo(byPattern(text));
          assertThat(LanguageIdentifier.letters(text)).as("letters of %s %s", file, item.path("id")).isEqualTo(lettersByStream(text));
          texts++;
        }
      }
    }
    assertThat(texts).isGreaterThan(5_000);
  }
}
