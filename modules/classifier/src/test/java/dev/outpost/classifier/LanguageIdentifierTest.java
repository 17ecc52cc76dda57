package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LanguageIdentifierTest {

  private static final Path DIR = Path.of(System.getProperty("outpost.devset.dir", "devset"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LanguageIdentifier IDENTIFIER = new LanguageIdentifier();

  static List<JsonNode> items(final String... names) throws IOException {
    final List<JsonNode> out = new ArrayList<>();
    for (final String name : names) {
      for (final String line : Files.readAllLines(DIR.resolve(name), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add(JSON.readTree(line));
        }
      }
    }
    return out;
  }

  private static double accuracy(final List<JsonNode> items, final String expected, final boolean titleOnly) {
    return accuracy(items, java.util.Set.of(expected), titleOnly);
  }

  private static double accuracy(final List<JsonNode> items, final java.util.Set<String> accepted, final boolean titleOnly) {
    int right = 0;
    int judged = 0;
    for (final JsonNode item : items) {
      final String title = item.path("title").asText("");
      final String text = titleOnly ? "" : item.path("text").asText("");
      if (title.isBlank() && text.isBlank()) {
        continue;
      }
      judged++;
      if (accepted.contains(IDENTIFIER.identify(title, text))) {
        right++;
      }
    }
    assertThat(judged).isPositive();
    return right / (double) judged;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"de", "fr", "es", "pt", "ru", "uk", "zh", "ja", "ko", "ar"})
  void realNewsInEachLanguageIsToldApart(final String code) throws IOException {
    final List<JsonNode> items = items("lang/" + code + ".tune.jsonl", "lang/" + code + ".holdout.jsonl");

    // Headline-only Spanish and kanji-only Japanese headlines are the hardest: a few of each go
    // to English or Chinese.
    assertThat(accuracy(items, code, false)).as(code).isGreaterThanOrEqualTo(0.93);
  }

  @Test
  void englishNewsStaysEnglishEvenFromItsHeadlineAlone() throws IOException {
    final List<JsonNode> items = items("tune.jsonl", "holdout.jsonl");

    assertThat(accuracy(items, "en", false)).isEqualTo(1.0);
    // Short headlines are where n-grams go wrong ("Egypt, Sudan conduct joint military drill"
    // reads as French to them); one with no sign of any language is undetermined, and read as
    // English all the same.
    assertThat(accuracy(items, java.util.Set.of("en", LanguageIdentifier.UNDETERMINED), true)).isGreaterThanOrEqualTo(0.99);
    assertThat(accuracy(items, "en", true)).isGreaterThanOrEqualTo(0.95);
  }

  @ParameterizedTest(name = "{1} <- {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "한미 연합훈련이 오늘부터 시작됐다 | ko",
        "北朝鮮が弾道ミサイルを発射したと防衛省が発表した | ja",
        "中国人民解放军东部战区在台湾岛周边开展联合演习 | zh",
        "أجرت القوات المسلحة مناورات عسكرية مشتركة | ar",
        "ارتش ایران رزمایش بزرگی را در خلیج فارس آغاز کرد | fa",
        "Ο στρατός ξεκίνησε ασκήσεις στο Αιγαίο | el",
        "Il governo italiano ha deciso di inviare truppe in Libano per la missione | it",
        "Rosja rozmieszcza wojska przy granicy z Polska | pl",
        "Venezuela despliega tropas a la frontera con Colombia | es",
        "Erdoğan orders troop deployment | und",
        "美军与Philippine Marines举行联合军演 | zh",
        "Macron convoque l'ambassadeur de Russie | fr",
        "Військові навчання розпочалися біля кордону з Білоруссю | uk",
        "Военные учения начались в Белоруссии с участием российских войск | ru",
        "12345 -- !!! | und",
      })
  void theScriptDecidesWhereItCanAndNGramsDoTheRest(final String text, final String code) {
    assertThat(IDENTIFIER.identify("", text)).isEqualTo(code);
  }

  @Test
  void theSameTextAlwaysGetsTheSameAnswerWhateverTheOrderAndThread() throws Exception {
    final List<JsonNode> items = items("lang/es.tune.jsonl", "lang/pt.tune.jsonl", "lang/ru.tune.jsonl", "tune.jsonl");
    final List<String> first = new ArrayList<>();
    for (final JsonNode item : items) {
      first.add(IDENTIFIER.identify(item.path("title").asText(""), item.path("text").asText("")));
    }
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      final List<Future<Boolean>> runs = new ArrayList<>();
      for (int run = 0; run < 4; run++) {
        final long seed = run;
        runs.add(
            pool.submit(
                () -> {
                  // A fresh identifier each time, and the items in another order.
                  final LanguageIdentifier fresh = new LanguageIdentifier();
                  final List<Integer> order = new ArrayList<>();
                  for (int i = 0; i < items.size(); i++) {
                    order.add(i);
                  }
                  Collections.shuffle(order, new Random(seed));
                  for (final int i : order) {
                    final JsonNode item = items.get(i);
                    if (!fresh.identify(item.path("title").asText(""), item.path("text").asText("")).equals(first.get(i))) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (final Future<Boolean> run : runs) {
        assertThat(run.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"en-US, en", "zh-Hant-TW, zh", "PT_br, pt", "jpn, ja", "und, und", "'', und", "' de ', de", "x-klingon, und", "mul, und", "jp, ja", "cn, zh"})
  void aDeclaredTagIsReducedToItsLanguage(final String tag, final String code) {
    assertThat(LanguageIdentifier.normalize(tag)).isEqualTo(code);
  }

  /** The primary subtag as a pattern reads it, the way the tag used to be read. */
  private static String primaryByPattern(final String tag) {
    final String primary = java.util.regex.Pattern.compile("[-_]").split(tag.strip(), 2)[0].toLowerCase(java.util.Locale.ROOT);
    return primary.matches("[a-z]{2,3}") ? primary : null;
  }

  @Test
  void aTagIsReadAsAPatternWouldReadIt() {
    // Edge cases: separators first, last or doubled; other spaces; case; lengths 1 to 4; the
    // Kelvin sign, whose lower case is an ASCII k; a dotted capital I, whose is not ASCII.
    final List<String> tags =
        List.of(
            "en", "EN", "En-gb", "eng", "engl", "e", "-en", "en-", "_pt", "pt__BR", "pt-_BR", "de_DE-x", "\u2003fr\u2003",
            "\tes\n", "\u212Ao", "\u212Aor", "\u0130t", "zh Hant", "z1", "1ab", "ab1", "ru.", "ja-JP-u-ca-japanese", "AR_",
            "x-klingon", "qaa", "mul", "ua", "kr");
    for (final String tag : tags) {
      final String primary = primaryByPattern(tag);
      final String normalized = LanguageIdentifier.normalize(tag);
      if (primary == null) {
        assertThat(normalized).as("tag '%s'", tag).isEqualTo(LanguageIdentifier.UNDETERMINED);
      } else {
        assertThat(LanguageIdentifier.normalize(primary)).as("tag '%s'", tag).isEqualTo(normalized);
        assertThat(normalized.length()).as("tag '%s'", tag).isBetween(2, 3);
      }
    }
  }
}
