package dev.outpost.subscribers.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.Subscription;
import dev.outpost.registry.InMemorySchemaRegistryClient;
import dev.outpost.subscribers.AlertFilter;
import dev.outpost.subscribers.Subscriptions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which subscriptions the dispatcher hands an alert to, decided by the view of the subscriptions,
 * here never started: subscriptions are put in as the dispatcher puts in the changes it writes
 * itself, so no broker is needed.
 */
class SubscriptionViewTest {

  private SubscriptionView view;

  @BeforeEach
  void view() {
    // Nothing is read: the view's thread is never started, so this address is never dialled.
    view =
        new SubscriptionView(
            Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9"), new InMemorySchemaRegistryClient());
  }

  @AfterEach
  void close() {
    view.close();
  }

  private static Alert alert(final String storyId, final int storyItems) {
    return Alert.newBuilder()
        .setAlertId("item-" + storyItems + "#parade")
        .setItemId("item-" + storyItems)
        .setCategory(Category.PARADE)
        .setConfidence(0.9)
        .setActors(List.of("PRK"))
        .setEvidence(List.of())
        .setTitle("Parade in Pyongyang")
        .setSource("test")
        .setClassifiedAt(Instant.EPOCH)
        .setClassifierVersion("v")
        .setStoryId(storyId)
        .setStoryItems(storyItems)
        .setStorySources(storyId == null ? 0 : 1)
        .build();
  }

  private List<String> matching(final Alert alert) {
    return view.matching(alert).stream().map(Subscription::getId).sorted().toList();
  }

  @Test
  void aPerStorySubscriptionIsHandedOnlyAStorysMilestonesAndAlertsWithoutAStory() {
    view.update(Subscriptions.kafka("digest", AlertFilter.ALL.withPerStory(true), "digest.alerts", Instant.EPOCH));
    view.update(Subscriptions.kafka("every", AlertFilter.ALL, "every.alerts", Instant.EPOCH));

    assertThat(matching(alert("story-a", 1))).containsExactly("digest", "every");
    assertThat(matching(alert("story-a", 2))).containsExactly("every");
    assertThat(matching(alert("story-a", 4))).containsExactly("every");
    assertThat(matching(alert("story-a", 5))).containsExactly("digest", "every");
    assertThat(matching(alert("story-a", 1000))).containsExactly("digest", "every");
    assertThat(matching(alert(null, 0))).containsExactly("digest", "every");
  }

  @Test
  void aPerStorySubscriptionStillNeedsTheRestOfItsFilterAndToBeEnabled() {
    view.update(
        Subscriptions.kafka(
            "tanks", new AlertFilter(java.util.Set.of(), java.util.Set.of(), 0, List.of("tanks"), true), "t", Instant.EPOCH));
    final Subscription on = Subscriptions.kafka("on", AlertFilter.ALL.withPerStory(true), "on", Instant.EPOCH);
    view.update(on);
    view.update(new Subscription("off", on.getFilter(), on.getTarget(), on.getCreatedAt(), false, "410 Gone"));

    assertThat(matching(alert("story-a", 1))).containsExactly("on");
    assertThat(matching(alert("story-a", 3))).isEmpty();
  }
}
