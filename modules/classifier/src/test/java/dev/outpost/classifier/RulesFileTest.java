package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's rules file extends and overrides the built-in rules, and bad files say what is wrong. */
class RulesFileTest {

  private static final String SENTENCE = "The legion was airlifted to the frontier overnight.";

  @TempDir Path dir;

  @Test
  void aUserLexiconEntryExtendsTheBuiltInRules() {
    final Classifier builtIn = Classifier.withDefaultRules();
    final Classifier extended =
        Classifier.withRules("{\"version\": \"local-1\", \"lexicons\": {\"military_personnel\": [\"legion\"]}}", "local.json");

    assertThat(builtIn.classify("", SENTENCE).labels()).doesNotContain(Category.TROOP_DISPATCH);
    assertThat(extended.classify("", SENTENCE).labels()).contains(Category.TROOP_DISPATCH);
    assertThat(extended.version()).isNotEqualTo(builtIn.version()).contains("local-1");
  }

  @Test
  void aRuleIsReplacedByIdAndRemovedById() {
    final String sentence = "Both navies held military exercises.";
    final Classifier weaker =
        Classifier.withRules(
            "{\"categories\": {\"military_exercise\": {\"rules\": ["
                + "{\"id\": \"exercise.military_exercise\", \"all\": [\"military exercise\"], \"weight\": 0.1}]}},"
                + "\"remove\": [\"exercise.noun_with_forces\", \"exercise.drills_between_states\"]}",
            "weaker.json");

    assertThat(weaker.classify("", sentence).result(Category.MILITARY_EXERCISE).confidence()).isEqualTo(0.1);
    assertThat(Classifier.withDefaultRules().classify("", sentence).result(Category.MILITARY_EXERCISE).confidence())
        .isGreaterThan(0.9);
  }

  @Test
  void aPhraseWrittenWithEqualsMatchesThatExactFormOnly() {
    final Classifier exact =
        Classifier.withRules(
            "{\"categories\": {\"parade\": {\"rules\": ["
                + "{\"id\": \"parade.test_exact\", \"all\": [\"=marched past\"], \"weight\": 0.9}]}}}",
            "exact.json");

    assertThat(exact.classify("", "The guards marched past the stand.").result(Category.PARADE).evidence())
        .anySatisfy(e -> assertThat(e.ruleId()).isEqualTo("parade.test_exact"));
    // "marches" shares the stem of "marched" but is not the exact form.
    assertThat(exact.classify("", "The guards marches past the stand.").result(Category.PARADE).evidence())
        .noneSatisfy(e -> assertThat(e.ruleId()).isEqualTo("parade.test_exact"));
  }

  @Test
  void aRulesFileIsReadFromDisk() throws IOException {
    final Path file = dir.resolve("rules.json");
    Files.writeString(file, "{\"lexicons\": {\"military_personnel\": [\"legion\"]}}");

    assertThat(Classifier.withRulesFile(file).classify("", SENTENCE).labels()).contains(Category.TROOP_DISPATCH);
  }

  @Test
  void badFilesNameTheProblem() {
    assertThatThrownBy(() -> Classifier.withRules("{not json", "broken.json"))
        .isInstanceOf(ClassifierException.class)
        .hasMessageContaining("broken.json")
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(
            () ->
                Classifier.withRules(
                    "{\"categories\": {\"parade\": {\"rules\": [{\"id\": \"p.x\", \"all\": [\"@no_such_lexicon\"], \"weight\": 0.5}]}}}",
                    "ref.json"))
        .isInstanceOf(ClassifierException.class)
        .hasMessageContaining("@no_such_lexicon");
    assertThatThrownBy(
            () ->
                Classifier.withRules(
                    "{\"categories\": {\"parade\": {\"rules\": [{\"id\": \"p.y\", \"all\": [\"parade\"], \"weight\": 2}]}}}",
                    "weight.json"))
        .isInstanceOf(ClassifierException.class)
        .hasMessageContaining("p.y")
        .hasMessageContaining("weight");
    assertThatThrownBy(() -> Classifier.withRules("{\"categories\": {\"riots\": {}}}", "cat.json"))
        .isInstanceOf(ClassifierException.class)
        .hasMessageContaining("unknown category 'riots'");
    assertThatThrownBy(() -> Classifier.withRules("{\"remove\": [\"no.such.rule\"]}", "rm.json"))
        .isInstanceOf(ClassifierException.class)
        .hasMessageContaining("rm.json")
        .hasMessageContaining("no.such.rule");
    assertThatThrownBy(
            () ->
                Classifier.withRules(
                    "{\"categories\": {\"parade\": {\"rules\": [{\"id\": \"parade.military_parade\", \"all\": [\"parade\"], \"weight\": 0.5},"
                        + "{\"id\": \"parade.military_parade\", \"all\": [\"march\"], \"weight\": 0.5}]}}}",
                    "dup.json"))
        .isInstanceOf(ClassifierException.class)
        .hasMessageContaining("parade.military_parade");
    assertThatThrownBy(() -> Classifier.withRulesFile(dir.resolve("absent.json")))
        .isInstanceOf(ClassifierException.class)
        .hasMessageContaining("absent.json");
  }
}
