package dev.outpost.classifier.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokensScriptTest {

  private static List<String> tokens(final Tokens t) {
    final List<String> out = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      out.add(t.span(i, i));
    }
    return out;
  }

  @Test
  void hanKanaAndHangulAreOneTokenACharacterSoPhrasesMatchWithoutSpaces() {
    final Tokens zh = Tokens.of("解放军在台湾岛周边举行联合演习。", new Vocabulary());
    assertThat(tokens(zh)).startsWith("解", "放", "军", "在").contains("演", "习");

    final Tokens ko = Tokens.of("한미연합훈련을 시작했다", new Vocabulary());
    assertThat(tokens(ko)).startsWith("한", "미", "연", "합", "훈", "련", "을");

    // Latin letters next to Han characters still make their own token.
    assertThat(tokens(Tokens.of("G20峰会", new Vocabulary()))).containsExactly("G20", "峰", "会");
  }

  @Test
  void ideographicAndArabicStopsEndSentencesAndTheirCommasEndClauses() {
    final Tokens zh = Tokens.of("中国举行阅兵。日本表示抗议，召见大使。", new Vocabulary());
    assertThat(zh.sentences()).isEqualTo(2);
    assertThat(zh.sentence(zh.size() - 1)).isEqualTo(1);
    assertThat(zh.clause(zh.size() - 1)).isGreaterThan(zh.clause(zh.size() - 5 - 1));

    // Arabic has no capitals: a letter after a full stop starts the next sentence.
    final Tokens ar = Tokens.of("بدأت المناورات. استدعت الوزارة السفير؟ نعم", new Vocabulary());
    assertThat(ar.sentences()).isEqualTo(3);

    // English initials still do not end a sentence.
    assertThat(Tokens.of("N. Korea sent troops. U.S. forces left.", new Vocabulary()).sentences()).isEqualTo(2);
  }

  @Test
  void arabicVowelMarksAndTatweelDoNotSplitOrChangeAWord() {
    final Vocabulary v = new Vocabulary();
    final int id = v.add("مناورات");
    final Tokens t = Tokens.of("مُنَاوَرات مناورات منـاورات", v);
    assertThat(t.size()).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      assertThat(t.lowerId(i)).as(t.span(i, i)).isEqualTo(id);
    }
  }

  @Test
  void theTypographicApostropheIsReadAsThePlainOne() {
    final Vocabulary v = new Vocabulary();
    final int didnt = v.add("didn't");
    final int armee = v.add("l'armée");
    final int korea = v.add("korea");
    final Tokens t = Tokens.of("Seoul didn’t say; l’armée and Korea’s troops. ’Quoted’", v);
    assertThat(tokens(t)).containsExactly("Seoul", "didn’t", "say", "l’armée", "and", "Korea’s", "troops", "Quoted");
    assertThat(t.lowerId(1)).isEqualTo(didnt);
    assertThat(t.lowerId(3)).isEqualTo(armee);
    // The possessive is dropped whichever apostrophe writes it.
    assertThat(t.lowerId(5)).isEqualTo(korea);
    // Rule phrases are split the same way, so a lexicon needs one spelling.
    assertThat(Tokens.words("Didn’t Korea’s")).containsExactly("didn't", "korea");
  }
}
