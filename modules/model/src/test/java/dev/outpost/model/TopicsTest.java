package dev.outpost.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void pipelineTopicsAreVersionedLowerCaseAndUnique() {
    final Set<String> names = new HashSet<>();
    for (final TopicSpec<?, ?> topic : Topics.PIPELINE) {
      assertThat(topic.name()).matches("[a-z]+(\\.[a-z-]+)*\\.v\\d+");
      assertThat(names.add(topic.name())).as("duplicate topic %s", topic.name()).isTrue();
    }
    assertThat(names).hasSize(9);
  }

  @Test
  void everyCategoryHasItsOwnAlertTopicOfAlerts() {
    final List<TopicSpec<String, Alert>> alertTopics =
        Arrays.stream(Category.values()).map(Topics::alertTopicFor).toList();

    assertThat(alertTopics).doesNotContainNull().doesNotHaveDuplicates();
    assertThat(alertTopics).allSatisfy(t -> assertThat(t.valueType()).isEqualTo(Alert.class));
    assertThat(Topics.PIPELINE).containsAll(alertTopics);
    assertThat(Topics.alertTopicFor(Category.PARADE).name()).isEqualTo("alerts.parade.v1");
  }

  @Test
  void catalogIsFoundByName() {
    assertThat(Topics.byName(Topics.NEWS_ITEMS.name())).contains(Topics.NEWS_ITEMS);
    assertThat(Topics.byName(Topics.REGISTRY_SCHEMAS.name())).contains(Topics.REGISTRY_SCHEMAS);
    assertThat(Topics.byName("no.such.topic")).isEmpty();
  }

  @Test
  void registryTopicIsCompactedWithOnePartition() {
    assertThat(Topics.REGISTRY_SCHEMAS.cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT);
    assertThat(Topics.REGISTRY_SCHEMAS.partitions()).isEqualTo(1);
    assertThat(CleanupPolicy.COMPACT.configValue()).isEqualTo("compact");
  }

  @Test
  void illegalSpecsNameTheProblem() {
    assertThatThrownBy(
            () -> new TopicSpec<>("bad name!", String.class, String.class, 1, CleanupPolicy.DELETE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad name!");
    assertThatThrownBy(
            () -> new TopicSpec<>("ok.v1", String.class, String.class, 0, CleanupPolicy.DELETE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ok.v1")
        .hasMessageContaining("at least one partition");
  }
}
