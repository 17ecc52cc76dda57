package dev.outpost.subscribers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StoryMilestonesTest {

  private static Alert alert(final String storyId, final int storyItems) {
    return Alert.newBuilder()
        .setAlertId("a#parade")
        .setItemId("a")
        .setCategory(Category.PARADE)
        .setConfidence(0.9)
        .setActors(List.of())
        .setEvidence(List.of())
        .setTitle("Parade in the capital")
        .setSource("test")
        .setClassifiedAt(Instant.EPOCH)
        .setClassifierVersion("v")
        .setStoryId(storyId)
        .setStoryItems(storyItems)
        .setStorySources(storyItems == 0 ? 0 : 1)
        .build();
  }

  @ParameterizedTest(name = "{0} alerts: {1}")
  @CsvSource({
    "1, true",
    "2, false",
    "4, false",
    "5, true",
    "6, false",
    "9, false",
    "10, true",
    "11, false",
    "24, false",
    "25, true",
    "50, true",
    "75, false",
    "100, true",
    "200, false",
    "250, true",
    "500, true",
    "750, false",
    "999, false",
    "1000, true",
    "1001, false",
    "1500, false",
    "2000, true",
    "2500, false",
    "3000, true",
    "10000, true",
    "2147483000, true",
    "2147483647, false",
    "0, false",
    "-1, false",
    "-1000, false",
  })
  void milestones(final int storyItems, final boolean milestone) {
    assertThat(StoryMilestones.isMilestone(storyItems)).isEqualTo(milestone);
    assertThat(StoryMilestones.delivers(alert("3f2a9c1e", storyItems))).isEqualTo(milestone);
  }

  @Test
  void aStoryOfTwelveHundredAlertsIsDeliveredNineTimes() {
    final List<Integer> delivered = new ArrayList<>();
    for (int n = 1; n <= 1200; n++) {
      if (StoryMilestones.delivers(alert("s", n))) {
        delivered.add(n);
      }
    }

    assertThat(delivered).containsExactly(1, 5, 10, 25, 50, 100, 250, 500, 1000);
  }

  @Test
  void anAlertWithoutAStoryIsAlwaysDelivered() {
    assertThat(StoryMilestones.delivers(alert(null, 0))).as("as the contract writes it").isTrue();
    assertThat(StoryMilestones.delivers(alert(null, 7))).as("whatever the count says").isTrue();
  }

  @Test
  void anAlertOfAStoryWithNoCountIsNoMilestone() {
    assertThat(StoryMilestones.delivers(alert("3f2a9c1e", 0))).isFalse();
  }
}
