package dev.outpost.classifier.story;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StoryBookTest {

  private static final long T0 = Instant.parse("2025-09-12T08:00:00Z").toEpochMilli();
  private static final long DAY = Duration.ofDays(1).toMillis();

  private static StoryCandidate alert(
      final String id, final Set<String> states, final long time, final String source, final String title, final StoryCandidate.Span... evidence) {
    return new StoryCandidate(id, "MILITARY_EXERCISE", states, time, source, title, "", null, "en", List.of(evidence));
  }

  private static StoryCandidate.Span named(final String text) {
    return new StoryCandidate.Span("title", 0, text.length(), text, "exercise.named");
  }

  @Test
  void wireCopiesFromThreeOutletsJoinOneStoryAndCountTheirSources() {
    final StoryBook book = new StoryBook(StoryRules.defaults());
    final String title = "Russia and Belarus begin Zapad-2025 joint military exercise";

    final StoryBook.Joined a = book.add(alert("a", Set.of("RUS", "BLR"), T0, "Reuters", title));
    final StoryBook.Joined b = book.add(alert("b", Set.of("RUS", "BLR"), T0 + 3_600_000, "AP", title));
    final StoryBook.Joined c = book.add(alert("c", Set.of("BLR", "RUS", "POL"), T0 + 7_200_000, "Reuters", title));

    assertThat(a.started()).isTrue();
    assertThat(b.started()).isFalse();
    assertThat(List.of(b.story().id(), c.story().id())).containsOnly(a.story().id());
    assertThat(c.story().itemCount()).isEqualTo(3);
    assertThat(c.story().sourceCount()).isEqualTo(2);
    assertThat(c.story().states()).containsExactly("BLR", "POL", "RUS");
    assertThat(c.story().itemIds()).containsExactly("a", "b", "c");
    assertThat(book.openCount()).isEqualTo(1);
  }

  @Test
  void twoExercisesOfTheSameStatesAWeekApartAreTwoStories() {
    final StoryBook book = new StoryBook(StoryRules.defaults());

    final String first =
        book.add(alert("fs", Set.of("KOR", "USA"), T0, "Yonhap", "Allies open Freedom Shield", named("Freedom Shield"))).story().id();
    final String second =
        book.add(alert("ss", Set.of("KOR", "USA"), T0 + 7 * DAY, "Yonhap", "Allies open Ssangyong drills", named("Ssangyong")))
            .story()
            .id();

    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void anExerciseNamedAgainWeeksLaterStillJoinsItsStory() {
    final StoryBook book = new StoryBook(StoryRules.defaults());

    final String announced =
        book.add(alert("fs-1", Set.of("KOR", "USA"), T0, "Yonhap", "Allies to hold Freedom Shield next month", named("Freedom Shield")))
            .story()
            .id();
    final String started =
        book.add(alert("fs-2", Set.of("USA"), T0 + 20 * DAY, "KBS", "Freedom Shield 24 begins", named("Freedom Shield 24")))
            .story()
            .id();

    assertThat(started).isEqualTo(announced);
  }

  @Test
  void sharedStatesAloneDoNotChainAStoryPastAWeek() {
    final StoryBook book = new StoryBook(StoryRules.defaults());
    final String first = book.add(alert("d0", Set.of("USA", "CHN"), T0, "s", "Talks on trade")).story().id();

    String last = first;
    for (int day = 1; day <= 9; day++) {
      last = book.add(alert("d" + day, Set.of("USA", "CHN"), T0 + day * DAY, "s", "Another row, day " + day)).story().id();
    }

    assertThat(last).isNotEqualTo(first);
  }

  @Test
  void aStoryClosesAfterItsQuietPeriodAndTheNextAlertStartsAnother() {
    final StoryBook book = new StoryBook(StoryRules.defaults().withQuietPeriod(Duration.ofDays(3)));
    final String first = book.add(alert("a", Set.of("IRN"), T0, "s", "Iran drill", named("Great Prophet"))).story().id();

    assertThat(book.closeQuiet(T0 + 3 * DAY)).isEmpty();
    final List<OpenStory> closed = book.closeQuiet(T0 + 3 * DAY + 1);

    assertThat(closed).extracting(OpenStory::id).containsExactly(first);
    assertThat(closed.get(0).closed()).isTrue();
    assertThat(book.openCount()).isZero();
    assertThat(book.add(alert("b", Set.of("IRN"), T0 + 3 * DAY + 2, "s", "Iran drill", named("Great Prophet"))).story().id())
        .isNotEqualTo(first);
  }

  @Test
  void openStoriesStayWithinTheBoundAndTheQuietestClosesFirst() {
    final StoryBook book = new StoryBook(StoryRules.defaults().withMaxOpenStories(5));
    final List<String> states = List.of("AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "HHH");
    String firstId = null;
    int closed = 0;

    for (int i = 0; i < states.size(); i++) {
      final StoryBook.Joined j = book.add(alert("i" + i, Set.of(states.get(i)), T0 + i * 60_000L, "s", "Distinct event number " + i));
      firstId = firstId == null ? j.story().id() : firstId;
      closed += j.closed().size();
      if (i == 5) {
        assertThat(j.closed()).extracting(OpenStory::id).containsExactly(firstId);
      }
    }

    assertThat(book.openCount()).isEqualTo(5);
    assertThat(closed).isEqualTo(3);
  }

  @Test
  void aStoryReadBackFromItsBytesMatchesAsBefore() {
    final StoryBook book = new StoryBook(StoryRules.defaults());
    final OpenStory story =
        book.add(alert("a", Set.of("RUS", "BLR"), T0, "Reuters", "Zapad begins", named("Zapad-2025"))).story();

    final StoryBook restored = new StoryBook(StoryRules.defaults());
    restored.restore(OpenStory.fromBytes(story.toBytes()));
    final StoryBook.Joined joined = restored.add(alert("b", Set.of(), T0 + 10 * DAY, "TASS", "Учения", named("Zapad")));

    assertThat(joined.story().id()).isEqualTo(story.id());
    assertThat(joined.story().itemCount()).isEqualTo(2);
    assertThat(OpenStory.fromBytes(story.toBytes()).toBytes()).isEqualTo(story.toBytes());
  }

  @Test
  void storyIdsDependOnlyOnTheCategoryAndTheFirstItem() {
    assertThat(OpenStory.idFor("PARADE", "item-1")).isEqualTo(OpenStory.idFor("PARADE", "item-1")).hasSize(16);
    assertThat(OpenStory.idFor("PARADE", "item-1")).isNotEqualTo(OpenStory.idFor("MILITARY_EXERCISE", "item-1"));
  }

  @Test
  void corruptStateIsRefusedWithTheReason() {
    assertThatThrownBy(() -> OpenStory.fromBytes(new byte[] {9})).hasMessageContaining("unknown story state format 9");
    assertThatThrownBy(() -> OpenStory.fromBytes(new byte[] {1, 0})).hasMessageContaining("truncated or corrupt");
  }

  @Test
  void badRulesAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> new StoryRules(Duration.ofDays(2), Duration.ofDays(1), 0.3, 10)).hasMessageContaining("quiet period");
    assertThatThrownBy(() -> new StoryRules(Duration.ofDays(2), Duration.ofDays(3), 0.0, 10)).hasMessageContaining("text threshold");
    assertThatThrownBy(() -> StoryRules.defaults().withMaxOpenStories(0)).hasMessageContaining("max open stories");
  }
}
