package dev.outpost.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one rule for an application's internal topics: {@code <id>-<name>-changelog} and {@code
 * -repartition} for the names its topology gives, and nothing that only looks like them, above all
 * not the topics of another application whose id starts with this one's.
 */
class PipelineAdminTest {

  private static final String APP = "outpost-pipeline";
  private static final Set<String> NAMES = Set.of("item-ids-seen");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"outpost-pipeline-item-ids-seen-changelog", "outpost-pipeline-item-ids-seen-repartition"})
  void aChangelogOrRepartitionOfANameOfTheTopologyIsInternal(final String topic) {
    assertThat(PipelineAdmin.isInternalTopic(APP, NAMES, topic)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        // another application whose id starts with this one's, and its namespaces
        "outpost-pipeline-v2-item-ids-seen-changelog",
        "outpost-pipeline.sept-item-ids-seen-changelog",
        "outpost-pipeline2-item-ids-seen-changelog",
        // a store the topology does not have, or none at all
        "outpost-pipeline-other-store-changelog",
        "outpost-pipeline-changelog",
        "outpost-pipeline--changelog",
        // the right name with the wrong ends
        "outpost-pipeline-item-ids-seen",
        "outpost-pipeline-item-ids-seen-changelog.v1",
        "outpost-pipeline-item-ids-seen-changelog-changelog",
        "x-outpost-pipeline-item-ids-seen-changelog",
        "Outpost-Pipeline-item-ids-seen-changelog",
        // the pipeline's own topics
        "news.items.v1",
        "outpost-pipeline"
      })
  void aTopicThatOnlyLooksInternalIsNot(final String topic) {
    assertThat(PipelineAdmin.isInternalTopic(APP, NAMES, topic)).isFalse();
  }

  @Test
  void aNamespaceDoesNotOwnTheInternalTopicsOfANamespaceItsNamePrefixes() {
    // given the applications of namespaces "sept" and "sept-2025", and the cluster's topics
    final PipelineAdmin.Application sept = new PipelineAdmin.Application(APP + ".sept", NAMES, Path.of("state"));
    final PipelineAdmin.Application later = new PipelineAdmin.Application(APP + ".sept-2025", NAMES, Path.of("state"));
    final List<String> topics =
        List.of(
            "outpost-pipeline.sept-2025-item-ids-seen-changelog",
            "outpost-pipeline.sept-item-ids-seen-changelog",
            "outpost-pipeline-item-ids-seen-changelog",
            "sept.news.items.v1");

    // then each owns its own changelog, and neither the other's nor the live one's
    assertThat(sept.internalTopicsAmong(topics)).containsExactly("outpost-pipeline.sept-item-ids-seen-changelog");
    assertThat(later.internalTopicsAmong(topics)).containsExactly("outpost-pipeline.sept-2025-item-ids-seen-changelog");
    assertThat(sept.localState()).isEqualTo(Path.of("state", "outpost-pipeline.sept"));
  }

  @Test
  void anApplicationWhoseTopologyHasNoStoreHasNoInternalTopics() {
    assertThat(PipelineAdmin.isInternalTopic(APP, Set.of(), "outpost-pipeline-item-ids-seen-changelog")).isFalse();
  }
}
