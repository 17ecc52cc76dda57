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
}
