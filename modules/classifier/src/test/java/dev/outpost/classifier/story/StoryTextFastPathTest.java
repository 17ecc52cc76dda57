package dev.outpost.classifier.story;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ibm.icu.text.Transliterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The story step's short cuts against the plain ways they stand for, on every title and text of
 * the development sets (every language) and on random text: {@link StoryText#tokens} and {@link
 * StoryText#sketchOf}, which cut and hash tokens where they lie, against {@link #plainTokens}, the
 * tokens as substrings and their sketch as {@link StoryText#sketch} makes it; and {@link
 * StoryText#romanized}, which leaves words of a to z alone, against ICU's transliterator.
 */
class StoryTextFastPathTest {

  private static final Transliterator ICU = Transliterator.getInstance(StoryText.ROMANIZE_RULES);

  /** Title and text of every development item, in pairs. */
  private static final List<String[]> ITEMS = new ArrayList<>();

  @BeforeAll
  static void readDevelopmentSets() throws IOException {
    final List<Path> sets = new ArrayList<>(List.of(Path.of("devset/tune.jsonl"), Path.of("devset/holdout.jsonl"), Path.of("devset/stories.jsonl")));
    for (final String dir : List.of("devset/lang", "devset/stream")) {
      try (Stream<Path> files = Files.list(Path.of(dir))) {
        files.filter(p -> p.toString().endsWith(".jsonl")).sorted().forEach(sets::add);
      }
    }
    final ObjectMapper json = new ObjectMapper();
    for (final Path set : sets) {
      for (final String line : Files.readAllLines(set, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          final JsonNode item = json.readTree(line);
          ITEMS.add(new String[] {item.path("title").asText(""), item.path("text").asText("")});
        }
      }
    }
    if (ITEMS.size() < 5_000) {
      throw new UncheckedIOException(new IOException("only " + ITEMS.size() + " development items were read"));
    }
  }

  /**
   * The tokens of texts the plain way, each cut out as a string: the story step's tokenizing as it
   * was written before it hashed tokens in place.
   */
  static Set<String> plainTokens(final List<String> texts) {
    final Set<String> out = new HashSet<>();
    for (final String text : texts) {
      if (text == null) {
        continue;
      }
      final String folded = StoryText.simplified(Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT));
      int i = 0;
      while (i < folded.length()) {
        if (!Character.isLetterOrDigit(folded.codePointAt(i))) {
          i += Character.charCount(folded.codePointAt(i));
          continue;
        }
        final int start = i;
        boolean allWide = true;
        while (i < folded.length() && Character.isLetterOrDigit(folded.codePointAt(i))) {
          allWide &= StoryText.wide(folded.codePointAt(i));
          i += Character.charCount(folded.codePointAt(i));
        }
        final String word = folded.substring(start, i);
        final int[] cps = word.codePoints().toArray();
        if (allWide && cps.length == 1) {
          out.add(word);
        } else if (allWide) {
          for (int k = 0; k + 1 < cps.length; k++) {
            out.add(new String(cps, k, 2));
          }
        } else if (cps.length > 2 && !StoryText.STOP_WORDS.contains(word)) {
          out.add(cps.length > StoryText.STEM ? new String(cps, 0, StoryText.STEM) : word);
        }
      }
    }
    return out;
  }

  private static void assertSameAsPlain(final List<String> texts) {
    final Set<String> plain = plainTokens(texts);
    assertThat(StoryText.tokens(texts)).as("%s", texts).isEqualTo(plain);
    assertThat(StoryText.sketchOf(texts)).as("%s", texts).isEqualTo(StoryText.sketch(plain));
  }

  @Test
  void sketchesEveryDevelopmentTextAsItsTokensDo() {
    int han = 0;
    for (final String[] item : ITEMS) {
      assertSameAsPlain(Arrays.asList(item[0], StoryCandidate.lead(item[1])));
      assertSameAsPlain(List.of(item[1]));
      assertThat(StoryText.itemSketch(item[0], item[1])).as("%s", item[0]).isEqualTo(StoryText.sketch(plainTokens(List.of(item[0], item[1]))));
      if (item[0].codePoints().anyMatch(StoryText::wide)) {
        han++;
      }
    }
    assertThat(han).as("titles in Han, kana or Hangul").isGreaterThan(100);
  }

  @Test
  void sketchesRandomTextAsItsTokensDo() {
    // Runs of every kind the tokenizer tells apart: stop words, words longer than the stem, digits,
    // Cyrillic, Han (one character and several), Hangul, a character outside the BMP, a
    // combining mark, full-width letters NFKC folds, and marks between them.
    final String[] pieces = {
      "the", "against", "betweens", "ab", "abc", "Exercise", "military", "1812", "3,000", "Запад", "учения",
      "联", "联合利剑", "訓練", "자유의", "방패", "\uD840\uDC00", "\uD840\uDC00\u4E00", "e\u0301te", "ＡＢＣ", "für", "Übung"
    };
    final String[] between = {" ", ", ", "-", "\n", "。", "'", ""};
    final Random random = new Random(3);
    for (int round = 0; round < 5_000; round++) {
      final List<String> texts = new ArrayList<>();
      for (int t = 0; t < 1 + random.nextInt(3); t++) {
        final StringBuilder text = new StringBuilder();
        for (int k = 0; k < random.nextInt(20); k++) {
          text.append(pieces[random.nextInt(pieces.length)]).append(between[random.nextInt(between.length)]);
        }
        texts.add(text.toString());
      }
      assertSameAsPlain(texts);
    }
    assertThat(StoryText.sketchOf(List.of("", ", the and"))).isEmpty();
    assertThat(StoryText.sketchOf(Arrays.asList(null, "Zapad"))).isEqualTo(StoryText.sketch(plainTokens(List.of("Zapad"))));
  }

  @Test
  void romanizesEveryWordOfTheDevelopmentTextsAsIcuDoes() {
    int skipped = 0;
    int transliterated = 0;
    for (final String[] item : ITEMS) {
      for (final String text : item) {
        // As StoryText.names cuts them: NFKC, lower case, runs of letters.
        final String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < folded.length()) {
          final int start = i;
          while (i < folded.length() && Character.isLetter(folded.codePointAt(i))) {
            i += Character.charCount(folded.codePointAt(i));
          }
          if (i == start) {
            i += Character.charCount(folded.codePointAt(i));
            continue;
          }
          final String word = folded.substring(start, i);
          assertThat(StoryText.romanized(word)).as(word).isEqualTo(ICU.transliterate(word));
          if (word.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
            skipped++;
          } else {
            transliterated++;
          }
        }
      }
    }
    // Both ways were taken, many times.
    assertThat(skipped).isGreaterThan(10_000);
    assertThat(transliterated).isGreaterThan(1_000);
  }

  @Test
  void romanizesRandomLatinWordsAsIcuDoes() {
    // Every letter a to z at every place, and words with the Latin letters ICU does change
    // (accents, ß, æ, ø, dotless i) and capitals, which take the transliterator.
    final String letters = "abcdefghijklmnopqrstuvwxyzéüßæøıÅZ";
    final Random random = new Random(5);
    for (int round = 0; round < 5_000; round++) {
      final StringBuilder word = new StringBuilder();
      for (int k = 0; k < 1 + random.nextInt(12); k++) {
        word.append(letters.charAt(random.nextInt(random.nextBoolean() ? 26 : letters.length())));
      }
      final String w = word.toString();
      assertThat(StoryText.romanized(w)).as(w).isEqualTo(ICU.transliterate(w));
    }
  }
}
