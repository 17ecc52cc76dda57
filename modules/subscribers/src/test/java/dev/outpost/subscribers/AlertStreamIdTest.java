package dev.outpost.subscribers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.Category;
import dev.outpost.model.Topics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The alert stream's event ids, which clients hand back when they reconnect, maybe to a newer server. */
class AlertStreamIdTest {

  private static TopicPartition partition(final Category category, final int partition) {
    return new TopicPartition(Topics.alertTopicFor(category).name(), partition);
  }

  @Test
  void eachCategoryKeepsItsNumberInAnId() {
    final Map<TopicPartition, Long> position = new LinkedHashMap<>();
    position.put(partition(Category.MILITARY_EXERCISE, 0), 5L);
    position.put(partition(Category.TROOP_DISPATCH, 1), 6L);
    position.put(partition(Category.PARADE, 2), 7L);
    position.put(partition(Category.DIPLOMATIC_TENSION, 0), 8L);

    assertThat(AlertStream.formatId(position)).isEqualTo("0-0-5.1-1-6.2-2-7.3-0-8");
    assertThat(AlertStream.parseId("0-0-5.1-1-6.2-2-7.3-0-8")).isEqualTo(position);
  }

  @Test
  void everyCategoryHasANumber() {
    for (final Category c : Category.values()) {
      final Map<TopicPartition, Long> position = Map.of(partition(c, 0), 1L);
      assertThat(AlertStream.parseId(AlertStream.formatId(position))).as("%s", c).isEqualTo(position);
    }
  }

  @Test
  void anIdThisStreamDidNotWriteIsRefused() {
    assertThatThrownBy(() -> AlertStream.parseId("4-0-1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AlertStream.parseId("-1-0-1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AlertStream.parseId("0-1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AlertStream.parseId("0-0-1..1-0-1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void trailingSeparatorsAreIgnoredAsTheyAlwaysWere() {
    assertThat(AlertStream.parseId("0-0-5.")).isEqualTo(Map.of(partition(Category.MILITARY_EXERCISE, 0), 5L));
    assertThat(AlertStream.parseId("0-0-5-.")).isEqualTo(Map.of(partition(Category.MILITARY_EXERCISE, 0), 5L));
    assertThat(AlertStream.parseId("...")).isEmpty();
    assertThat(AlertStream.parseId(" ")).isEmpty();
  }
}
