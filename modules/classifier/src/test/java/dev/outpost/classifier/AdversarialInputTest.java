package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One megabyte of hostile text must not make the classifier slow down more than linearly: no
 * regular expressions, no nested scans. The timeout is generous on purpose: it catches quadratic
 * behaviour (hours at this size), not a slow machine.
 */
class AdversarialInputTest {

  private static final int MB = 1 << 20;
  private static final Classifier CLASSIFIER = Classifier.withDefaultRules();

  private static String repeat(final String unit) {
    return unit.repeat(MB / unit.length() + 1).substring(0, MB);
  }

  static Stream<Arguments> inputs() {
    final Supplier<String> oneToken = () -> "a".repeat(MB);
    final Supplier<String> triggers = () -> repeat("troops deployed drills parade summoned ambassador sanctions China Russia ");
    final Supplier<String> noSpaces = () -> repeat("troopsdeployeddrillsparade");
    final Supplier<String> mixedScripts = () -> repeat("Пхеньян軍事演習парадtroops北京Ελλάδαمناورات ");
    final Supplier<String> loneSurrogates = () -> repeat("\uD800drill\uDC00 troops \uDBFF");
    final Supplier<String> oneLongSentence = () -> repeat("not could 1950 deployed soldiers, while ");
    final Supplier<String> abbreviations = () -> repeat("U.S. N. Korea Gen. Sept. ");
    final Supplier<String> punctuation = () -> repeat(".,;:!?()[]\"'-\u2014\u2019 ");
    final Supplier<String> digits = () -> repeat("3,000 ");
    return Stream.of(
        Arguments.of("one 1 MB token", oneToken),
        Arguments.of("repeated triggers", triggers),
        Arguments.of("no spaces", noSpaces),
        Arguments.of("mixed scripts", mixedScripts),
        Arguments.of("invalid surrogates", loneSurrogates),
        Arguments.of("one sentence of cues", oneLongSentence),
        Arguments.of("abbreviations", abbreviations),
        Arguments.of("punctuation only", punctuation),
        Arguments.of("numbers", digits));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aMegabyteOfHostileTextIsClassifiedInLinearTime(final String name, final Supplier<String> input) {
    final String text = input.get();

    final Classification result = CLASSIFIER.classify(text, text);

    assertThat(result.results()).hasSize(Category.values().length);
    for (final Category c : Category.values()) {
      final CategoryResult r = result.result(c);
      assertThat(r.confidence()).isBetween(0.0, 1.0);
      assertThat(r.evidence()).hasSizeLessThanOrEqualTo(5);
    }
  }
}
