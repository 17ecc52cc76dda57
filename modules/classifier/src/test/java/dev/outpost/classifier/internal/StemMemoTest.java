package dev.outpost.classifier.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StemMemoTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static int hash(final String word) {
    return Vocabulary.hash(word.toCharArray(), 0, word.length());
  }

  private static int find(final StemMemo memo, final String word) {
    return memo.find(word.toCharArray(), word.length(), hash(word));
  }

  private static void put(final StemMemo memo, final String word, final int stem) {
    memo.put(word.toCharArray(), word.length(), hash(word), stem);
  }

  @Test
  void aWordPutIsFoundWithItsStemAndAnUnknownStemIsNotAMiss() {
    final StemMemo memo = new StemMemo();
    assertThat(find(memo, "drills")).isEqualTo(StemMemo.MISS);
    put(memo, "drills", 7);
    put(memo, "minister", Vocabulary.UNKNOWN);
    assertThat(find(memo, "drills")).isEqualTo(7);
    assertThat(find(memo, "minister")).isEqualTo(Vocabulary.UNKNOWN);
    assertThat(find(memo, "drill")).isEqualTo(StemMemo.MISS);
    assertThat(find(memo, "drillz")).isEqualTo(StemMemo.MISS);
  }

  @Test
  void wordsUnderOneHashAreKeptApart() {
    final StemMemo memo = new StemMemo();
    final char[] a = "alpha".toCharArray();
    final char[] b = "bravo".toCharArray();
    final char[] c = "charl".toCharArray();
    memo.put(a, 5, 42, 1);
    memo.put(b, 5, 42, 2);
    assertThat(memo.find(a, 5, 42)).isEqualTo(1);
    assertThat(memo.find(b, 5, 42)).isEqualTo(2);
    assertThat(memo.find(c, 5, 42)).isEqualTo(StemMemo.MISS);
    // The same characters under another hash are another entry's business: not found.
    assertThat(memo.find(a, 5, 43)).isEqualTo(StemMemo.MISS);
  }

  @Test
  void itEmptiesItselfWhenHalfFullAndGoesOnRemembering() {
    final StemMemo memo = new StemMemo();
    final int words = StemMemo.SLOTS * 2;
    for (int i = 0; i < words; i++) {
      put(memo, "w" + i, i);
      assertThat(memo.size()).isLessThanOrEqualTo(StemMemo.SLOTS / 2);
      assertThat(find(memo, "w" + i)).isEqualTo(i);
    }
    assertThat(memo.clears()).isEqualTo(3);
    // What was put since the last clear is all still there.
    for (int i = words - memo.size(); i < words; i++) {
      assertThat(find(memo, "w" + i)).isEqualTo(i);
    }
  }

  @Test
  void itEmptiesItselfWhenItsCharactersWouldOverflow() {
    final StemMemo memo = new StemMemo();
    final String pad = "x".repeat(Tokens.MAX_TOKEN_CHARS - 6);
    final int fits = StemMemo.POOL_CHARS / Tokens.MAX_TOKEN_CHARS;
    for (int i = 0; i <= fits; i++) {
      put(memo, pad + String.format("%06d", i), i);
    }
    assertThat(memo.clears()).isEqualTo(1);
    assertThat(memo.size()).isEqualTo(1);
    assertThat(find(memo, pad + String.format("%06d", fits))).isEqualTo(fits);
  }

  /** Reused tokens, whose memo fills and empties over many items, give every token a fresh tokenizer's ids. */
  @ParameterizedTest
  @ValueSource(strings = {"en", "de", "fr", "ru", "ar", "zh"})
  void reusedTokensGiveTheIdsFreshTokensGiveOverEveryDevelopmentItemTwice(final String code) throws IOException {
    final Vocabulary vocabulary = pack(code).engine().vocabulary();
    final List<String> texts = texts(code);
    assertThat(texts).hasSizeGreaterThan(50);
    final Tokens reused = Tokens.reusable(vocabulary);
    for (int round = 0; round < 2; round++) {
      for (final String text : texts) {
        final Tokens fresh = Tokens.of(text, vocabulary);
        reused.reuse(text);
        assertThat(reused.size()).isEqualTo(fresh.size());
        for (int i = 0; i < fresh.size(); i++) {
          assertThat(reused.stemId(i)).as("%s: stem of '%s'", code, fresh.span(i, i)).isEqualTo(fresh.stemId(i));
          assertThat(reused.lowerId(i)).isEqualTo(fresh.lowerId(i));
        }
      }
    }
    assertThat(reused.memo().size() + reused.memo().clears()).isPositive();
  }

  private static List<String> texts(final String code) throws IOException {
    final Path file = code.equals("en") ? Path.of("devset/stream/tune.jsonl") : Path.of("devset/lang/" + code + ".tune.jsonl");
    final List<String> texts = new ArrayList<>();
    for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      final JsonNode item = JSON.readTree(line);
      if (code.equals("en") && !item.path("language").asText("en").equals("en")) {
        continue;
      }
      texts.add(item.path("title").asText(""));
      texts.add(item.path("text").asText(""));
    }
    return texts;
  }

  private static LanguagePack pack(final String code) throws IOException {
    final String dir = "dev/outpost/classifier/";
    final String rules = code.equals("en") ? dir + "rules.json" : dir + "lang/" + code + ".rules.json";
    final String gazetteer = code.equals("en") ? dir + "gazetteer.tsv" : dir + "lang/" + code + ".gazetteer.tsv";
    return LanguagePack.load(code, resource(rules), rules, null, null, resource(gazetteer), gazetteer);
  }

  private static String resource(final String name) throws IOException {
    try (InputStream in = StemMemoTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
