package dev.outpost.subscribers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.EvidenceSpan;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertFilterTest {

  private static Alert alert(final Category category, final double confidence, final String... actors) {
    return Alert.newBuilder()
        .setAlertId("a#" + category)
        .setItemId("a")
        .setCategory(category)
        .setConfidence(confidence)
        .setActors(List.of(actors))
        .setEvidence(
            List.of(
                EvidenceSpan.newBuilder()
                    .setField("body")
                    .setStart(0)
                    .setEnd(12)
                    .setText("sent troops")
                    .setRuleId("dispatch.verb_personnel")
                    .build()))
        .setTitle("Beijing warns Tokyo over patrols")
        .setSource("test")
        .setClassifiedAt(Instant.EPOCH)
        .setClassifierVersion("v")
        .build();
  }

  @Test
  void anEmptyFilterTakesEverythingFromEveryAlertTopic() {
    assertThat(AlertFilter.ALL.matches(alert(Category.PARADE, 0.01))).isTrue();
    assertThat(AlertFilter.ALL.topics()).hasSize(Category.values().length);
  }

  @Test
  void everyGivenPartMustMatch() {
    final AlertFilter filter =
        new AlertFilter(Set.of(Category.TROOP_DISPATCH), Set.of("chn", "RUS"), 0.7, List.of("Troops"));

    assertThat(filter.matches(alert(Category.TROOP_DISPATCH, 0.8, "CHN", "JPN"))).isTrue();
    assertThat(filter.matches(alert(Category.PARADE, 0.8, "CHN"))).as("category").isFalse();
    assertThat(filter.matches(alert(Category.TROOP_DISPATCH, 0.69, "CHN"))).as("confidence").isFalse();
    assertThat(filter.matches(alert(Category.TROOP_DISPATCH, 0.8, "JPN"))).as("actor").isFalse();
    assertThat(new AlertFilter(Set.of(), Set.of(), 0, List.of("warns tokyo")).matches(alert(Category.PARADE, 0.5)))
        .as("keyword in the title")
        .isTrue();
    assertThat(new AlertFilter(Set.of(), Set.of(), 0, List.of("submarine")).matches(alert(Category.PARADE, 0.5)))
        .as("keyword nowhere")
        .isFalse();
  }

  private static Alert ofStory(final String storyId, final int storyItems) {
    final Alert alert = alert(Category.PARADE, 0.8, "PRK");
    alert.setStoryId(storyId);
    alert.setStoryItems(storyItems);
    alert.setStorySources(storyId == null ? 0 : Math.min(storyItems, 3));
    return alert;
  }

  @Test
  void perStoryAFilterTakesAStorysFirstAlertAndItsMilestonesAndEveryAlertWithoutAStory() {
    final AlertFilter perStory = AlertFilter.ALL.withPerStory(true);

    assertThat(perStory.perStory()).isTrue();
    assertThat(AlertFilter.ALL.perStory()).as("every alert unless asked").isFalse();
    assertThat(perStory.matches(ofStory("s1", 1))).as("the alert that started the story").isTrue();
    assertThat(perStory.matches(ofStory("s1", 2))).as("the story's second alert").isFalse();
    assertThat(perStory.matches(ofStory("s1", 5))).as("its fifth").isTrue();
    assertThat(perStory.matches(ofStory("s1", 7))).isFalse();
    assertThat(perStory.matches(ofStory("s1", 2000))).isTrue();
    assertThat(perStory.matches(ofStory(null, 0))).as("an alert without a story").isTrue();
    assertThat(AlertFilter.ALL.matches(ofStory("s1", 2))).as("without per-story, every alert").isTrue();
  }

  @Test
  void perStoryEveryOtherPartMustStillMatch() {
    final AlertFilter filter =
        new AlertFilter(Set.of(Category.PARADE), Set.of("PRK"), 0.5, List.of(), true);

    assertThat(filter.matches(ofStory("s1", 10))).isTrue();
    assertThat(filter.matches(ofStory("s1", 11))).as("no milestone").isFalse();
    assertThat(new AlertFilter(Set.of(Category.PARADE), Set.of("RUS"), 0.5, List.of(), true).matches(ofStory("s1", 10)))
        .as("a milestone of another state's story")
        .isFalse();
    assertThat(new AlertFilter(Set.of(Category.PARADE), Set.of("PRK"), 0.5, List.of()))
        .as("the four-part filter wants every alert")
        .isEqualTo(filter.withPerStory(false));
  }

  @Test
  void aFilterReadsOnlyTheTopicsOfItsCategories() {
    assertThat(new AlertFilter(Set.of(Category.PARADE), Set.of(), 0, List.of()).topics())
        .containsExactly("alerts.parade.v1");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "China | actor 'China' is not an ISO 3166-1 alpha-3 code",
        "C1N | actor 'C1N' is not an ISO 3166-1 alpha-3 code",
      })
  void aBadActorIsNamed(final String actor, final String message) {
    assertThatThrownBy(() -> new AlertFilter(Set.of(), Set.of(actor), 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aBadConfidenceKeywordOrCategoryIsNamed() {
    assertThatThrownBy(() -> new AlertFilter(Set.of(), Set.of(), 1.5, List.of()))
        .hasMessageContaining("min confidence 1.5 is not between 0 and 1");
    assertThatThrownBy(() -> new AlertFilter(Set.of(), Set.of(), 0, List.of(" ")))
        .hasMessageContaining("a keyword is empty");
    assertThatThrownBy(() -> AlertFilter.category("riot"))
        .hasMessageContaining("unknown category 'riot'")
        .hasMessageContaining("troop_dispatch");
    assertThat(AlertFilter.category("troop-dispatch")).isEqualTo(Category.TROOP_DISPATCH);
  }

  @Test
  void positionsParse() {
    assertThat(Position.parse("earliest").kind()).isEqualTo(Position.Kind.EARLIEST);
    assertThat(Position.parse("LATEST").kind()).isEqualTo(Position.Kind.LATEST);
    assertThat(Position.parse("2026-11-28T09:00:00Z").time()).isEqualTo(Instant.parse("2026-11-28T09:00:00Z"));
    assertThatThrownBy(() -> Position.parse("yesterday")).hasMessageContaining("'yesterday' is not earliest, latest or an ISO-8601 time");
  }
}
