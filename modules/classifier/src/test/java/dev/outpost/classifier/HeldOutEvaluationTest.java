package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.classifier.eval.Evaluation;
import dev.outpost.classifier.eval.LabelledItem;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bar on the held-out part of the development set, which nothing is tuned on: macro-F1 at
 * least 0.90, at most 5% of no-label items given a label, and every category better than the
 * naive keyword matcher.
 */
class HeldOutEvaluationTest {

  private static Evaluation rules;
  private static Evaluation keywords;

  @BeforeAll
  static void evaluate() throws IOException {
    final List<LabelledItem> holdout = DevSetTest.read("holdout.jsonl");
    final Classifier classifier = Classifier.withDefaultRules();
    rules = Evaluation.of(holdout, i -> Set.copyOf(classifier.classify(i.title(), i.text()).labels()));
    keywords = Evaluation.of(holdout, i -> classifier.keywordBaseline(i.title(), i.text()));
  }

  @Test
  void macroF1IsAtLeast90Percent() {
    assertThat(rules.macroF1()).isGreaterThanOrEqualTo(0.90);
  }

  @Test
  void atMostFivePercentOfNoLabelItemsGetALabel() {
    assertThat(rules.noLabelItems()).isPositive();
    assertThat(rules.noLabelFlaggedRate()).isLessThanOrEqualTo(0.05);
  }

  @Test
  void everyCategoryBeatsTheKeywordFloor() {
    for (final Category c : Category.values()) {
      assertThat(rules.score(c).f1()).as(c.label()).isGreaterThan(keywords.score(c).f1());
    }
  }
}
