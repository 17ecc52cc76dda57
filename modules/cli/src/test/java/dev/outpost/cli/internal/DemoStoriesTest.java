package dev.outpost.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.model.Alert;
import dev.outpost.model.AvroTrust;
import dev.outpost.model.Category;
import dev.outpost.model.Story;
import dev.outpost.model.SurgeAlert;
import dev.outpost.model.SurgeStory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo's stories: which alerts are the run's, and how the summary shows stories and surges. */
class DemoStoriesTest {

  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  @BeforeAll
  static void trustTheModel() {
    AvroTrust.install();
  }

  private static Alert alert(final String itemId, final String storyId) {
    return Alert.newBuilder()
        .setAlertId(itemId + "#diplomatic_tension")
        .setItemId(itemId)
        .setCategory(Category.DIPLOMATIC_TENSION)
        .setConfidence(0.9)
        .setTitle("t")
        .setSource("s")
        .setClassifiedAt(NOW)
        .setClassifierVersion("v")
        .setStoryId(storyId)
        .build();
  }

  private static Story story(
      final String id, final int items, final int sources, final List<String> states, final String title, final String first) {
    return Story.newBuilder()
        .setStoryId(id)
        .setCategory(Category.DIPLOMATIC_TENSION)
        .setStates(states)
        .setFirstSeen(NOW)
        .setLastSeen(NOW)
        .setItemCount(items)
        .setSourceCount(sources)
        .setTitle(title)
        .setItemIds(List.of(first))
        .build();
  }

  private static SurgeAlert surge(final String state, final Category category, final int recent, final double baseline) {
    return SurgeAlert.newBuilder()
        .setSurgeId(state + category)
        .setState(state)
        .setCategory(category)
        .setWindowStart(NOW.minus(Duration.ofDays(7)))
        .setWindowEnd(NOW)
        .setRecentStories(recent)
        .setBaselineStories((int) (baseline * 4))
        .setBaselineAverage(baseline)
        .setFactor(2.0)
        .setStories(List.of(SurgeStory.newBuilder().setStoryId("a").setTitle("t").setFirstSeen(NOW).build()))
        .build();
  }

  @Test
  void countsOnlyTheRunsAlertsAndRemembersTheirStoriesInOrder() {
    final DemoStories run = new DemoStories("abc12345");

    assertThat(run.test(alert("sample-0001.abc12345", "s2"))).isTrue();
    assertThat(run.test(alert("sample-0002.abc12345", "s1"))).isTrue();
    assertThat(run.test(alert("sample-0003.abc12345", "s2"))).isTrue();
    assertThat(run.test(alert("sample-0001.other999", "s3"))).isFalse();
    // An alert of a pipeline without stories counts, and names no story.
    assertThat(run.test(alert("sample-0004.abc12345", null))).isTrue();

    assertThat(run.storyIds()).containsExactly("s2", "s1");
  }

  @Test
  void summaryNamesTheLargestStoriesOfMoreThanOneReportAndEverySurge() {
    final DemoStories.Report report =
        new DemoStories.Report(
            List.of(
                story("one", 1, 1, List.of("PER"), "A single report", "x.run"),
                story("two", 2, 2, List.of("RUS", "USA"), "Russia says new US sanctions unacceptable", "y.run"),
                story("four", 4, 3, List.of("DZA", "FRA"), "France to respond\n firmly", "z.earlier")),
            2,
            List.of(
                surge("USA", Category.MILITARY_EXERCISE, 2, 0.0),
                surge("CHN", Category.DIPLOMATIC_TENSION, 3, 0.5),
                surge("AUS", Category.DIPLOMATIC_TENSION, 2, 0.0)));

    final String text = DemoSummary.stories(1, report);

    assertThat(text.lines().toList())
        .containsExactly(
            "  stories            3 (2 new)",
            "    4 reports from 3 sources  diplomatic_tension  DZA, FRA  \"France to respond firmly\"",
            "    2 reports from 2 sources  diplomatic_tension  RUS, USA  \"Russia says new US sanctions unacceptable\"",
            "  surges             3 (1 new)",
            "    USA military_exercise  2 stories in 7 days, baseline 0.0 per 7 days",
            "    AUS diplomatic_tension  2 stories in 7 days, baseline 0.0 per 7 days",
            "    CHN diplomatic_tension  3 stories in 7 days, baseline 0.5 per 7 days");
  }

  @Test
  void summaryOfARunWithoutStoriesSaysSo() {
    assertThat(DemoSummary.stories(0, new DemoStories.Report(List.of(), 0, List.of())).lines().toList())
        .containsExactly("  stories            0 (0 new)", "  surges             0 (0 new)");
  }

  @Test
  void aLongTitleIsCutToOneLine() {
    final String title = "word ".repeat(60);
    final String text =
        DemoSummary.stories(0, new DemoStories.Report(List.of(story("s", 2, 2, List.of(), title, "a")), 0, List.of()));

    assertThat(text.lines().toList().get(1))
        .startsWith("    2 reports from 2 sources  diplomatic_tension  -  \"word word")
        .endsWith("\u2026\"");
    assertThat(text.lines().toList().get(1).length()).isLessThan(DemoSummary.MAX_TITLE + 60);
  }
}
