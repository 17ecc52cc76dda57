package dev.outpost.classifier.story;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StoryTextTest {

  @Test
  void namesKeepTheNameAndDropNumbersAndGenericNouns() {
    assertThat(StoryText.names(List.of("Freedom Shield 24 exercise"))).containsExactly("freedom", "shield");
    assertThat(StoryText.names(List.of("'자유의 방패' 연합훈련"))).containsExactly("방패", "자유의");
  }

  @Test
  void cyrillicAndGreekNamesAreRomanizedSoTheyMeetTheirLatinSpelling() {
    assertThat(StoryText.names(List.of("учения \"Запад-2021\""))).containsExactly("zapad");
    assertThat(StoryText.names(List.of("Восток-2018"))).containsExactly("vostok");
    assertThat(StoryText.names(List.of("Zapad-2021"))).containsExactly("zapad");
  }

  @Test
  void wireCopiesHaveAlikeSketchesAndDifferentEventsDoNot() {
    final int[] a = StoryText.sketch(StoryText.tokens(List.of("Russia and Belarus begin Zapad-2025 joint military exercise")));
    final int[] b = StoryText.sketch(StoryText.tokens(List.of("Russia, Belarus begin joint military exercise Zapad-2025")));
    final int[] c = StoryText.sketch(StoryText.tokens(List.of("Peru declares Mexican ambassador persona non grata")));

    assertThat(StoryText.similarity(a, b)).isGreaterThan(0.6);
    assertThat(StoryText.similarity(a, c)).isLessThan(0.1);
    assertThat(StoryText.similarity(a, new int[0])).isZero();
  }

  @Test
  void hanAndHangulAreReadInCharacterPairs() {
    assertThat(StoryText.tokens(List.of("联合利剑"))).containsExactlyInAnyOrder("联合", "合利", "利剑");
    assertThat(StoryText.tokens(List.of("the war of 1812 in a"))).isEqualTo(Set.of("war", "1812"));
  }

  @Test
  void traditionalAndSimplifiedHanMeetInOneSketch() {
    final int[] taipei = StoryText.sketch(StoryText.tokens(List.of("解放軍東部戰區展開「聯合利劍-2024A」演習")));
    final int[] beijing = StoryText.sketch(StoryText.tokens(List.of("解放军东部战区展开“联合利剑-2024A”演习")));

    assertThat(StoryText.tokens(List.of("聯合利劍"))).containsExactlyInAnyOrder("联合", "合利", "利剑");
    assertThat(StoryText.similarity(taipei, beijing)).isEqualTo(1.0);
  }

  @Test
  void targetsAreThoseOfTheFirstSpanThatGivesAny() {
    final List<StoryCandidate.Span> spans =
        List.of(
            span("Czech Republic expels", "tension.verb_between_states", List.of("CZE"), List.of()),
            span("expels 18 Russian diplomats", "tension.expel_diplomats", List.of("RUS"), List.of("RUS")),
            span("High Commissioner of Canada to India was summoned", "tension.summon_envoy", List.of("CAN", "IND"), List.of()),
            span("summoned Japan's", "tension.verb_on_state", List.of("JPN"), List.of("JPN")));

    assertThat(StoryText.targets(spans)).containsExactly("RUS");
    assertThat(StoryText.targets(List.of(spans.get(0), spans.get(2), spans.get(3)))).containsExactly("JPN");
    assertThat(StoryText.targets(List.of(spans.get(0), spans.get(2)))).isEmpty();
  }

  @Test
  void headCountsAreReadAsNewsWritesThemAndOnlyFromCountingRules() {
    final List<StoryCandidate.Span> spans =
        List.of(
            span("sending around 750 more troops", "dispatch.number_of_troops", List.of(), List.of()),
            span("3,000 more troops", "dispatch.number_of_troops", List.of(), List.of()),
            span("bis zu 3.500 Soldaten", "dispatch.number_of_troops", List.of(), List.of()),
            span("3 000 soldats", "dispatch.number_of_troops", List.of(), List.of()),
            span("約１２００人の部隊", "dispatch.number_of_troops", List.of(), List.of()),
            span("expels 23 Russian diplomats", "tension.expel_diplomats", List.of("RUS"), List.of("RUS")),
            span("two battalions and 3 companies", "dispatch.number_of_troops", List.of(), List.of()),
            span("a 2,000-strong exercise", "exercise.size", List.of(), List.of()));

    assertThat(StoryText.headCounts(spans)).containsExactlyInAnyOrder(750L, 3_000L, 3_500L, 1_200L, 23L);
    assertThat(StoryText.headCounts(List.of(span("troops, 4, 5", "dispatch.number_of_troops", List.of(), List.of())))).isEmpty();
  }

  @Test
  void headCountsAgreeWithinHalfOfEachOtherOrWhenOneSideGivesNone() {
    assertThat(StoryText.headCountsAgree(Set.of(3_000L), Set.of(3_500L))).isTrue();
    assertThat(StoryText.headCountsAgree(Set.of(750L), Set.of(3_000L))).isFalse();
    assertThat(StoryText.headCountsAgree(Set.of(750L, 4_000L), Set.of(3_000L))).isTrue();
    assertThat(StoryText.headCountsAgree(Set.of(), Set.of(3_000L))).isTrue();
  }

  private static StoryCandidate.Span span(final String text, final String ruleId, final List<String> states, final List<String> targets) {
    return new StoryCandidate.Span("title", 0, text.length(), text, ruleId, states, targets);
  }

  @Test
  void theLeadIsCutWithoutSplittingAPair() {
    final String text = "a".repeat(StoryCandidate.LEAD_CHARS - 1) + "😀" + "tail";

    assertThat(StoryCandidate.lead(text)).hasSize(StoryCandidate.LEAD_CHARS - 1);
    assertThat(StoryCandidate.lead("short")).isEqualTo("short");
    assertThat(StoryCandidate.lead(null)).isEmpty();
  }

  @Test
  void noCodePointBelowTheFirstWideOneIsHanKanaOrHangul() {
    // The script check skips these; the table must agree for every one of them.
    final java.util.Set<Character.UnicodeScript> wideScripts =
        java.util.EnumSet.of(
            Character.UnicodeScript.HAN, Character.UnicodeScript.HIRAGANA, Character.UnicodeScript.KATAKANA, Character.UnicodeScript.HANGUL);
    for (int c = 0; c < StoryText.FIRST_WIDE; c++) {
      assertThat(wideScripts).as("U+%04X", c).doesNotContain(Character.UnicodeScript.of(c));
    }
    assertThat(Character.UnicodeScript.of(StoryText.FIRST_WIDE)).isEqualTo(Character.UnicodeScript.HANGUL);
    assertThat(StoryText.wide(StoryText.FIRST_WIDE)).isTrue();
    assertThat(StoryText.wide('\u4E2D')).isTrue();
    assertThat(StoryText.wide('\u30AB')).isTrue();
    assertThat(StoryText.wide('z')).isFalse();
    assertThat(StoryText.wide('\u0416')).isFalse();
  }
}
