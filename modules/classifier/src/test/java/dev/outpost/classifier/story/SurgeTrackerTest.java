package dev.outpost.classifier.story;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SurgeTrackerTest {

  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final SurgeRules RULES = SurgeRules.defaults();

  private static Optional<SurgeTracker.Surge> start(final SurgeTracker t, final String id, final long day) {
    return t.started(new SurgeTracker.Start(id, "story " + id, day * DAY), day * DAY, RULES);
  }

  @Test
  void oneStoryWhereThereWereNoneIsNoSurgeButTwoInAWeekAre() {
    final SurgeTracker tracker = new SurgeTracker();

    assertThat(start(tracker, "a", 100)).isEmpty();
    final Optional<SurgeTracker.Surge> surge = start(tracker, "b", 103);

    assertThat(surge).isPresent();
    assertThat(surge.get().recent()).extracting(SurgeTracker.Start::storyId).containsExactly("a", "b");
    assertThat(surge.get().baselineStories()).isZero();
  }

  @Test
  void aSurgeFiresOnceUntilItSubsidesThenCanFireAgain() {
    final SurgeTracker tracker = new SurgeTracker();
    start(tracker, "a", 100);
    assertThat(start(tracker, "b", 103)).isPresent();
    assertThat(start(tracker, "c", 105)).as("still the same surge").isEmpty();
    assertThat(tracker.surging()).isTrue();

    assertThat(tracker.advance(120 * DAY, RULES)).isTrue();
    assertThat(tracker.surging()).as("a quiet week later it has subsided").isFalse();

    assertThat(start(tracker, "d", 130)).isEmpty();
    assertThat(start(tracker, "e", 133)).as("a new surge").isPresent();
  }

  @Test
  void aBusyBaselineNeedsTwiceItsWeeklyAverage() {
    final SurgeTracker tracker = new SurgeTracker();
    for (int week = 0; week < 4; week++) {
      for (int i = 0; i < 3; i++) {
        tracker.started(new SurgeTracker.Start("w" + week + "-" + i, "w", (100 + week * 7 + i * 2) * DAY), 126 * DAY, RULES);
      }
    }
    // baseline: 12 stories in the four weeks before day 127, 3 a week, so a surge needs 6 in the
    // week up to day 134; the stories of that week are seen at its end
    for (int i = 0; i < 5; i++) {
      assertThat(tracker.started(new SurgeTracker.Start("r" + i, "r", (128 + i) * DAY), 134 * DAY, RULES))
          .as("recent story %d", i + 1)
          .isEmpty();
    }
    final Optional<SurgeTracker.Surge> surge = tracker.started(new SurgeTracker.Start("r5", "r", 133 * DAY), 134 * DAY, RULES);

    assertThat(surge).isPresent();
    assertThat(surge.get().recent()).hasSize(6);
    assertThat(surge.get().baselineAverage()).isGreaterThanOrEqualTo(2.0);
  }

  @Test
  void startsPastTheHorizonAreForgotten() {
    final SurgeTracker tracker = new SurgeTracker();
    start(tracker, "a", 100);

    assertThat(tracker.advance(100 * DAY + RULES.horizon().toMillis() + 1, RULES)).isFalse();
  }

  @Test
  void theStateSurvivesItsBytes() {
    final SurgeTracker tracker = new SurgeTracker();
    start(tracker, "a", 100);
    start(tracker, "b", 101);

    final SurgeTracker back = SurgeTracker.fromBytes(tracker.toBytes());

    assertThat(back.surging()).isTrue();
    assertThat(back.toBytes()).isEqualTo(tracker.toBytes());
    assertThatThrownBy(() -> SurgeTracker.fromBytes(new byte[] {7})).hasMessageContaining("unknown surge state format 7");
  }

  @Test
  void badRulesAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> new SurgeRules(Duration.ZERO, 4, 2.0, 1.0)).hasMessageContaining("surge window");
    assertThatThrownBy(() -> new SurgeRules(Duration.ofDays(7), 4, 1.0, 1.0)).hasMessageContaining("factor");
    assertThatThrownBy(() -> new SurgeRules(Duration.ofDays(7), 0, 2.0, 1.0)).hasMessageContaining("baseline");
  }
}
