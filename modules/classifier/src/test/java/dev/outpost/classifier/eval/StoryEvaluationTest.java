package dev.outpost.classifier.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.classifier.Classifier;
import dev.outpost.classifier.story.StoryRules;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoryEvaluationTest {

  private static final Path EVENTS = Path.of("devset/events");
  private static List<StoryEvaluation.Score> scores;

  @BeforeAll
  static void score() throws IOException {
    scores = StoryEvaluation.score(EVENTS, Classifier.withDefaultRules(), StoryRules.defaults());
    final StringWriter out = new StringWriter();
    StoryEvaluation.print(scores, new PrintWriter(out));
    System.out.print(out);
  }

  @Test
  void theSplitHasATuningAndAHeldOutPart() {
    assertThat(scores)
        .extracting(StoryEvaluation.Score::part)
        .containsExactly("tune", "holdout", "tune at once", "holdout at once", "tune true alerts", "holdout true alerts");
    assertThat(scores).allSatisfy(s -> assertThat(s.goldPairs()).isGreaterThan(100));
  }

  /*
   * The floors below guard what the story rules reach on the tuning part, a little under the
   * figures measured on 2026-12-07 after the third held-out part and a fifth batch of families
   * joined it (tune P 0.897 R 0.828; at once P 0.674 R 0.776; true alerts P 0.915 R 0.830).
   * They are not the goal:
   * issue 16 asks for P 0.95 and R 0.85 on the held-out part, which the README reports. The
   * tuning part holds, on purpose, the hardest cases found: a state answering another in kind
   * the next day, and different events of the same states in one week.
   */

  @Test
  void onTheTuningPartStoriesKeepTheirPrecisionAndRecall() {
    final StoryEvaluation.Score tune = scores.get(0);

    assertThat(tune.precision()).as("pairwise precision, tuning part").isGreaterThanOrEqualTo(0.87);
    assertThat(tune.recall()).as("pairwise recall, tuning part").isGreaterThanOrEqualTo(0.80);
  }

  @Test
  void onTrueAlertsOnlyTheFalseAlertsAreLeftOutAndStoriesDoBetter() {
    final StoryEvaluation.Score all = scores.get(0);
    final StoryEvaluation.Score trueOnly = scores.get(4);

    assertThat(trueOnly.part()).isEqualTo("tune true alerts");
    assertThat(trueOnly.items()).isEqualTo(all.items());
    assertThat(trueOnly.alerts()).isLessThan(all.alerts());
    assertThat(trueOnly.precision()).as("pairwise precision, tuning part, true alerts").isGreaterThanOrEqualTo(0.89);
    assertThat(trueOnly.recall()).as("pairwise recall, tuning part, true alerts").isGreaterThanOrEqualTo(0.80);
  }

  @Test
  void withEveryFamilyAtOnceStatesNamesAndTextStillKeepMostEventsApart() {
    final StoryEvaluation.Score atOnce = scores.get(2);

    assertThat(atOnce.part()).isEqualTo("tune at once");
    assertThat(atOnce.precision()).as("pairwise precision, tuning part, families at once").isGreaterThanOrEqualTo(0.65);
    assertThat(atOnce.recall()).as("pairwise recall, tuning part, families at once").isGreaterThanOrEqualTo(0.75);
  }

  @Test
  void rulesThatBarelyJoinFindFarFewerPairs() throws IOException {
    final StoryRules alone = new StoryRules(java.time.Duration.ZERO, java.time.Duration.ofMillis(1), 1.0, 1);

    final StoryEvaluation.Score barely = StoryEvaluation.score(EVENTS, Classifier.withDefaultRules(), alone).get(0);

    // Items of one day share a timestamp, so even a zero join gap joins some: the control is
    // that the scoring credits the rules, not that it finds no pair at all.
    assertThat(barely.recall()).isLessThan(scores.get(0).recall() - 0.2);
  }

  @Test
  void anExcerptWithoutLabelsIsNamed(@TempDir final Path dir) throws IOException {
    Files.writeString(dir.resolve("split.tsv"), "a-story\ta\ttune\n");
    Files.writeString(
        dir.resolve("x.jsonl"),
        "{\"id\":\"1\",\"story\":\"a-story\",\"published\":\"2025-01-01\",\"title\":\"t\",\"text\":\"x\",\"labels\":[\"parade\"]}\n"
            + "{\"id\":\"2\",\"story\":\"a-story\",\"published\":\"2025-01-01\",\"title\":\"t\",\"text\":\"x\"}\n");

    assertThatThrownBy(() -> StoryEvaluation.score(dir, Classifier.withDefaultRules(), StoryRules.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x.jsonl:2")
        .hasMessageContaining("labels");
  }

  @Test
  void aStoryMissingFromTheSplitIsNamed(@TempDir final Path dir) throws IOException {
    Files.writeString(dir.resolve("split.tsv"), "a-story\ta\ttune\n");
    Files.writeString(
        dir.resolve("x.jsonl"),
        "{\"id\":\"1\",\"story\":\"other-story\",\"published\":\"2025-01-01\",\"title\":\"t\",\"text\":\"x\"}\n");

    assertThatThrownBy(() -> StoryEvaluation.score(dir, Classifier.withDefaultRules(), StoryRules.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x.jsonl:1")
        .hasMessageContaining("other-story");
  }
}
