package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassifierLanguageTest {

  private static final Classifier CLASSIFIER = Classifier.withDefaultRules();

  private static final String ITALIAN =
      "Il governo italiano ha deciso di inviare truppe in Libano. I soldati partiranno la prossima settimana per"
          + " la missione delle Nazioni Unite.";

  @Test
  void anItemInALanguageOutpostDoesNotReadIsMarkedNotReadAndGetsNoLabel() {
    final Classification c = CLASSIFIER.classify("Truppe italiane in Libano", ITALIAN);

    assertThat(c.language()).isEqualTo("it");
    assertThat(c.languageSupported()).isFalse();
    assertThat(c.labels()).isEmpty();
    assertThat(c.classifierVersion()).isEqualTo(CLASSIFIER.version());
  }

  @Test
  void theDeclaredLanguageWinsOverTheIdentifiedOne() {
    final String english = "Russia sent troops to the border, the ministry said on Monday.";

    assertThat(CLASSIFIER.classify("", english).labels()).contains(Category.TROOP_DISPATCH);
    final Classification declaredItalian = CLASSIFIER.classify("", english, "it-IT");
    assertThat(declaredItalian.language()).isEqualTo("it");
    assertThat(declaredItalian.languageSupported()).isFalse();
    assertThat(declaredItalian.labels()).isEmpty();

    final Classification declaredEnglish = CLASSIFIER.classify("", english, "en-GB");
    assertThat(declaredEnglish.language()).isEqualTo("en");
    assertThat(declaredEnglish.labels()).contains(Category.TROOP_DISPATCH);
  }

  @Test
  void textWhoseLanguageCannotBeToldIsReadAsEnglishAndSaysSo() {
    final Classification c = CLASSIFIER.classify("", "2026-12-04 14:00 UTC");

    assertThat(c.language()).isEqualTo(LanguageIdentifier.UNDETERMINED);
    assertThat(c.languageSupported()).isTrue();
  }

  @Test
  void englishIsAlwaysSupportedAndListedFirst() {
    assertThat(CLASSIFIER.languages()).first().isEqualTo("en");
    assertThat(CLASSIFIER.version()).startsWith(Classifier.CODE_VERSION + "-");
  }

  @Test
  void aForeignItemGetsItsLabelWithEvidenceInItsOwnScript() {
    final String body = "中国人民解放军东部战区今天在台湾岛周边海空域举行联合军事演习。";
    final Classification c = CLASSIFIER.classify("", body);

    assertThat(c.language()).isEqualTo("zh");
    assertThat(c.languageSupported()).isTrue();
    assertThat(c.labels()).contains(Category.MILITARY_EXERCISE);
    final Evidence e = c.result(Category.MILITARY_EXERCISE).evidence().get(0);
    assertThat(e.text()).isEqualTo(body.substring(e.start(), e.end())).contains("演习");
    assertThat(c.actors()).contains("CHN", "TWN");
  }

  @Test
  void everyLanguageGivesTheSameAnswerEveryTime() {
    final String[][] items = {
      {"", "中国人民解放军东部战区今天在台湾岛周边海空域举行联合军事演习。"},
      {"北朝鮮が軍事パレード", "平壌で朝鮮人民軍の創建を記念する軍事パレードが行われた。"},
      {"", ITALIAN},
      {"Russia sends troops", "Russia sent troops to the border, the ministry said on Monday."},
    };
    final Classifier other = Classifier.withDefaultRules();
    for (int round = 0; round < 3; round++) {
      for (final String[] item : items) {
        assertThat(other.classify(item[0], item[1])).isEqualTo(CLASSIFIER.classify(item[0], item[1]));
      }
    }
    assertThat(other.version()).isEqualTo(CLASSIFIER.version());
  }

  @Test
  void decomposedAccentsAndFullWidthStopsReadAsTheirComposedForms() {
    final String nfd = java.text.Normalizer.normalize("O Exército realiza desfile militar em Brasília.", java.text.Normalizer.Form.NFD);
    final Classification pt = CLASSIFIER.classify("", nfd, "pt");
    assertThat(pt.actors()).containsExactly("BRA");
    final Evidence e = pt.result(Category.PARADE).evidence().get(0);
    assertThat(nfd.substring(e.start(), e.end())).isEqualTo(e.text());

    assertThat(CLASSIFIER.classify("", "U\uFF0ES\uFF0E troops deployed to Poland", "en").actors()).containsExactly("USA", "POL");
  }
}
