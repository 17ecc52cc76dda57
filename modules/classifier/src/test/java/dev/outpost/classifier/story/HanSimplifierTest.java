package dev.outpost.classifier.story;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ibm.icu.text.Transliterator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The table of ICU's Traditional-Simplified rules against ICU's own transliterator. */
class HanSimplifierTest {

  private static final Transliterator ICU = Transliterator.getInstance("Traditional-Simplified");

  private static final HanSimplifier TABLE = HanSimplifier.of(ICU);

  @Test
  void icusRulesAreAllReadIntoTheTable() {
    // Were they not, the story step would fall back to ICU's transliterator: right, but slow.
    assertThat(TABLE).isNotNull();
    assertThat(TABLE.size()).isGreaterThan(1000);
  }

  @Test
  void simplifiesEveryDevelopmentTextAsIcuDoes() throws IOException {
    final ObjectMapper json = new ObjectMapper();
    final List<Path> sets = new ArrayList<>();
    try (Stream<Path> lang = Files.list(Path.of("devset/lang"))) {
      lang.filter(p -> p.getFileName().toString().matches("(zh|ja|ko)\\..*\\.jsonl")).forEach(sets::add);
    }
    sets.add(Path.of("devset/stream/tune.jsonl"));
    sets.add(Path.of("devset/stream/holdout.jsonl"));
    int han = 0;
    for (final Path set : sets) {
      for (final String line : Files.readAllLines(set, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        final JsonNode item = json.readTree(line);
        for (final String text : List.of(item.path("title").asText(""), item.path("text").asText(""))) {
          final String expected = ICU.transliterate(text);
          assertThat(TABLE.simplify(text)).as("%s: %s", set, text).isEqualTo(expected);
          if (!expected.equals(text)) {
            han++;
          }
        }
      }
    }
    assertThat(han).as("texts ICU changed").isGreaterThan(100);
  }

  @Test
  void simplifiesRunsOfRuleTextsAsIcuDoes() {
    // Texts made of the rules' own texts, cut and joined at random, with other letters between:
    // where the phrase rules and the one-character rules overlap.
    final List<String> texts = new ArrayList<>(TABLE.texts());
    java.util.Collections.sort(texts);
    final Random random = new Random(11);
    final String others = "和的 a,\u3002\uD840\uDC00\u4E00";
    for (int round = 0; round < 3000; round++) {
      final StringBuilder text = new StringBuilder();
      for (int k = 0; k < 1 + random.nextInt(8); k++) {
        final String piece = texts.get(random.nextInt(texts.size()));
        final int from = random.nextInt(3) == 0 ? random.nextInt(piece.length()) : 0;
        text.append(piece, from, piece.length());
        if (random.nextInt(3) == 0) {
          text.append(others.charAt(random.nextInt(others.length())));
        }
      }
      final String t = text.toString();
      assertThat(TABLE.simplify(t)).as(t).isEqualTo(ICU.transliterate(t));
    }
  }

  @Test
  void storyTextSimplifiesThroughTheTable() {
    assertThat(StoryText.simplified("聯合利劍")).isEqualTo("联合利剑").isEqualTo(ICU.transliterate("聯合利劍"));
    assertThat(StoryText.simplified("no Han here")).isEqualTo("no Han here");
  }
}
