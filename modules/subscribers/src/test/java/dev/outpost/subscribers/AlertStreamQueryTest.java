package dev.outpost.subscribers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.Category;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The alert stream's query parameters, read into the filter of {@code outpost subscribe}. */
class AlertStreamQueryTest {

  private static AlertFilter filter(final String rawQuery) {
    return AlertStream.filter(AlertStream.query(rawQuery));
  }

  @Test
  void everyParameterReachesTheFilter() {
    assertThat(filter("category=parade&category=troop-dispatch&actor=chn,RUS&min_confidence=0.8&keyword=Tanks&per_story=true"))
        .isEqualTo(
            new AlertFilter(
                Set.of(Category.PARADE, Category.TROOP_DISPATCH), Set.of("CHN", "RUS"), 0.8, List.of("tanks"), true));
  }

  @ParameterizedTest(name = "?{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "per_story=true | true",
        "per_story=TRUE | true",
        "per_story=false | false",
        "category=parade | false",
        "'' | false",
      })
  void perStoryIsTrueOnlyWhenAsked(final String rawQuery, final boolean perStory) {
    assertThat(filter(rawQuery).perStory()).isEqualTo(perStory);
  }

  @ParameterizedTest(name = "?per_story={0}")
  @ValueSource(strings = {"yes", "1", "", "tru"})
  void aPerStoryThatIsNotTrueOrFalseIsRefusedNamingTheParameter(final String value) {
    assertThatThrownBy(() -> filter("per_story=" + value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("per_story '" + value + "' is not true or false");
  }

  @Test
  void aBadConfidenceIsRefusedNamingTheParameter() {
    assertThatThrownBy(() -> filter("min_confidence=high")).hasMessage("min_confidence 'high' is not a number");
  }
}
