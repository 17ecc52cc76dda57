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
  void theLeadIsCutWithoutSplittingAPair() {
    final String text = "a".repeat(StoryCandidate.LEAD_CHARS - 1) + "😀" + "tail";

    assertThat(StoryCandidate.lead(text)).hasSize(StoryCandidate.LEAD_CHARS - 1);
    assertThat(StoryCandidate.lead("short")).isEqualTo("short");
    assertThat(StoryCandidate.lead(null)).isEmpty();
  }
}
