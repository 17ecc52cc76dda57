package dev.outpost.classifier.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.outpost.classifier.Category;
import dev.outpost.classifier.Classifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The report {@code outpost eval} prints, on five items small enough to count by hand. */
class EvaluationReportTest {

  private static final Classifier CLASSIFIER = Classifier.withDefaultRules();
  private static final Set<Category> EX = Set.of(Category.MILITARY_EXERCISE);
  private static final Set<Category> DT = Set.of(Category.DIPLOMATIC_TENSION);
  private static final String DRILLS = "The navy began live-fire drills.";
  private static final String SUMMONED = "The ministry summoned the ambassador.";

  /**
   * Found: 1's exercise and 3's tension. Missed: 4's exercise, declared Italian, so not read.
   * Flagged: 5, a summons labelled as nothing. Not flagged: 2, exercise of another kind.
   */
  private static final List<LabelledItem> SET =
      List.of(
          new LabelledItem("1", "", "", DRILLS, EX, null, "navy-wire"),
          new LabelledItem("2", "", "", "Doctors say that regular exercise is good for the heart and the mind.", Set.of(), null, "health-daily"),
          new LabelledItem("3", "", "", SUMMONED, DT, null, "navy-wire"),
          new LabelledItem("4", "", "", DRILLS, EX, "it", "ansa"),
          new LabelledItem("5", "", "", SUMMONED, Set.of(), null, ""));

  private static final EvaluationReport REPORT = EvaluationReport.of("set.jsonl", SET, CLASSIFIER);

  @Test
  void scoresTheClassifierAndTheKeywordMatcherOnTheWholeSet() {
    final Evaluation.Score exercise = REPORT.classifier().score(Category.MILITARY_EXERCISE);
    assertThat(exercise).isEqualTo(new Evaluation.Score(1, 0, 1));
    assertThat(REPORT.classifier().noLabelFlagged()).isEqualTo(1);
    assertThat(REPORT.classifier().macroF1()).isCloseTo((2.0 / 3 + 1 + 1 + 2.0 / 3) / 4, within(1e-9));
    // The keyword matcher reads no language: it finds the Italian item's drills, and flags item 2.
    assertThat(REPORT.keywordMatcher().score(Category.MILITARY_EXERCISE)).isEqualTo(new Evaluation.Score(2, 1, 0));
    assertThat(REPORT.keywordMatcher().noLabelFlagged()).isEqualTo(2);
  }

  @Test
  void groupsByTheLanguageReadInAndByFeedAndCountWhatWasNotRead() {
    assertThat(REPORT.languages()).extracting(EvaluationReport.Group::name).containsExactly("en", "it");
    assertThat(REPORT.languages()).extracting(g -> g.scores().items()).containsExactly(4, 1);
    assertThat(REPORT.languages()).extracting(EvaluationReport.Group::notRead).containsExactly(0L, 1L);

    assertThat(REPORT.feeds()).extracting(EvaluationReport.Group::name).containsExactly("(none)", "ansa", "health-daily", "navy-wire");
    assertThat(REPORT.feeds()).extracting(g -> g.scores().items()).containsExactly(1, 1, 1, 2);
    assertThat(REPORT.feeds()).extracting(EvaluationReport.Group::notRead).containsExactly(0L, 1L, 0L, 0L);
    assertThat(REPORT.feeds().get(0).scores().noLabelFlagged()).isEqualTo(1);
  }

  @Test
  void printsEveryTableAndTheClassifiersMacroF1Last() {
    final StringWriter text = new StringWriter();

    REPORT.print(new PrintWriter(text));

    assertThat(text.toString().lines().toList())
        .containsExactly(
            "5 items from set.jsonl, classifier " + CLASSIFIER.version(),
            "",
            "category                  P      R     F1     kw P   kw R  kw F1",
            "military_exercise     1.000  0.500  0.667    0.667  1.000  0.800",
            "troop_dispatch        1.000  1.000  1.000    1.000  1.000  1.000",
            "parade                1.000  1.000  1.000    1.000  1.000  1.000",
            "diplomatic_tension    0.500  1.000  0.667    0.500  1.000  0.667",
            "",
            "no-label items given a label: 1 of 2 (50.0%); keyword matcher: 2 (100.0%)",
            "",
            "per language (declared, else identified; not read: a language Outpost does not classify)",
            "language  items not read macro-F1  no-label items given a label",
            "en            4        0    0.917  1 of 2 (50.0%)",
            "it            1        1    0.750  - of 0",
            "",
            "per feed (the item's feed, else its outlet)",
            "feed          items not read macro-F1  no-label items given a label",
            "(none)            1        0    0.750  1 of 1 (100.0%)",
            "ansa              1        1    0.750  - of 0",
            "health-daily      1        0    1.000  0 of 1 (0.0%)",
            "navy-wire         2        0    1.000  - of 0",
            "",
            "alert precision/recall at the stream base rate (this set's mix of items)",
            "category             base rate      P      R",
            "military_exercise        40.0%  1.000  0.500",
            "troop_dispatch            0.0%  1.000  1.000",
            "parade                    0.0%  1.000  1.000",
            "diplomatic_tension       20.0%  0.500  1.000",
            "every alert, pooled             0.667  0.667   (3 alerts raised, 2 right, 3 due)",
            "no-label items given any label: 50.0% (1 of 2)",
            "",
            "keyword matcher macro-F1 0.867",
            "macro-F1 0.833");
  }
}
