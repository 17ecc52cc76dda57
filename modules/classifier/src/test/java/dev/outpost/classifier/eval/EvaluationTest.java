package dev.outpost.classifier.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.outpost.classifier.Category;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Scores by hand-countable sets: per group, base rates and pooled precision and recall. */
class EvaluationTest {

  private static final Set<Category> EX = Set.of(Category.MILITARY_EXERCISE);
  private static final Set<Category> DT = Set.of(Category.DIPLOMATIC_TENSION);

  private static LabelledItem item(final String id, final Set<Category> labels, final String language, final String feed) {
    return new LabelledItem(id, "", "t", "x", labels, language, feed);
  }

  /** Ten items: two exercises, one tension, seven with no label. */
  private static final List<LabelledItem> SET =
      List.of(
          item("1", EX, "de", "a"),
          item("2", EX, "de", "a"),
          item("3", DT, "fr", "b"),
          item("4", Set.of(), "de", "a"),
          item("5", Set.of(), "de", "a"),
          item("6", Set.of(), "fr", "b"),
          item("7", Set.of(), "fr", "b"),
          item("8", Set.of(), "fr", "b"),
          item("9", Set.of(), "fr", "b"),
          item("10", Set.of(), "fr", "b"));

  /** Finds item 1's exercise, misses item 2's, finds item 3's tension, and flags items 4 and 6. */
  private static final Map<String, Set<Category>> PREDICTED =
      Map.of("1", EX, "3", DT, "4", EX, "6", Set.of(Category.PARADE));

  private static Set<Category> predicted(final LabelledItem item) {
    return PREDICTED.getOrDefault(item.id(), Set.of());
  }

  @Test
  void baseRatesArePerCategorySharesOfTheWholeSet() {
    final Evaluation e = Evaluation.of(SET, EvaluationTest::predicted);

    assertThat(e.baseRate(Category.MILITARY_EXERCISE)).isCloseTo(0.2, within(1e-9));
    assertThat(e.baseRate(Category.DIPLOMATIC_TENSION)).isCloseTo(0.1, within(1e-9));
    assertThat(e.baseRate(Category.PARADE)).isZero();
  }

  @Test
  void pooledPrecisionAndRecallCountEveryAlertOnce() {
    final Evaluation.Score pooled = Evaluation.of(SET, EvaluationTest::predicted).pooled();

    // Raised: 1 EX (right), 3 DT (right), 4 EX (wrong), 6 PARADE (wrong). Due: 1, 2 EX and 3 DT.
    assertThat(pooled).isEqualTo(new Evaluation.Score(2, 2, 1));
    assertThat(pooled.precision()).isCloseTo(0.5, within(1e-9));
    assertThat(pooled.recall()).isCloseTo(2.0 / 3, within(1e-9));
  }

  @Test
  void eachGroupIsScoredOnItsOwnItems() {
    final Map<String, Evaluation> byLanguage = Evaluation.byGroup(SET, LabelledItem::language, EvaluationTest::predicted);

    assertThat(byLanguage.keySet()).containsExactly("de", "fr");
    final Evaluation de = byLanguage.get("de");
    assertThat(de.items()).isEqualTo(4);
    assertThat(de.score(Category.MILITARY_EXERCISE)).isEqualTo(new Evaluation.Score(1, 1, 1));
    assertThat(de.noLabelItems()).isEqualTo(2);
    assertThat(de.noLabelFlaggedRate()).isCloseTo(0.5, within(1e-9));
    final Evaluation fr = byLanguage.get("fr");
    assertThat(fr.items()).isEqualTo(6);
    assertThat(fr.noLabelFlaggedRate()).isCloseTo(0.2, within(1e-9));
    assertThat(fr.score(Category.DIPLOMATIC_TENSION).f1()).isCloseTo(1.0, within(1e-9));
    assertThat(fr.score(Category.PARADE).precision()).isZero();
  }

  @Test
  void aSetNamesItsItemsLanguageAndFeedOrElseOutlet() {
    final List<LabelledItem> items =
        LabelledSet.parse(
            "set.jsonl",
            String.join(
                "\n",
                "{\"id\":\"a\",\"language\":\"de\",\"feed\":\"tagesschau-2023\",\"outlet\":\"tagesschau\",\"title\":\"t\",\"labels\":[]}",
                "{\"id\":\"b\",\"outlet\":\"NHK\",\"title\":\"t\",\"labels\":[]}",
                "{\"id\":\"c\",\"title\":\"t\",\"labels\":[]}"));

    assertThat(items).extracting(LabelledItem::language).containsExactly("de", "und", "und");
    assertThat(items).extracting(LabelledItem::feed).containsExactly("tagesschau-2023", "NHK", "");
  }
}
