package dev.outpost.subscribers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.Subscription;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which events a subscription receives: alerts unless it asks for ops events too, or instead. */
class SubscriptionEventsTest {

  private static final AlertFilter ALL = new AlertFilter(Set.of(), Set.of(), 0, List.of());

  private static Subscription hook() {
    return Subscriptions.webhook("pager", ALL, "https://example.org/hook", "a-shared-secret-for-signatures", Instant.EPOCH);
  }

  @Test
  void aSubscriptionReceivesAlertsOnlyUnlessItAsks() {
    assertThat(Subscriptions.wantsAlerts(hook())).isTrue();
    assertThat(Subscriptions.wantsOps(hook())).isFalse();
    assertThat(Subscriptions.describe(hook())).doesNotContain("events=");
  }

  @Test
  void opsEventsCanBeAskedForInsteadOfAlertsOrBeside() {
    final Subscription ops = Subscriptions.withEvents(hook(), List.of("ops"));
    final Subscription both = Subscriptions.withEvents(hook(), List.of("ops", "alerts", "ops"));

    assertThat(Subscriptions.wantsOps(ops)).isTrue();
    assertThat(Subscriptions.wantsAlerts(ops)).isFalse();
    assertThat(both.getFilter().getEvents()).containsExactly("alerts", "ops");
    assertThat(Subscriptions.describe(both)).contains("events=alerts,ops");
    assertThat(ops.getTarget()).isEqualTo(hook().getTarget());
  }

  @Test
  void anUnknownOrEmptySetOfEventsIsRefusedByName() {
    assertThatThrownBy(() -> Subscriptions.withEvents(hook(), List.of("lag")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'alerts' and 'ops'");
    assertThatThrownBy(() -> Subscriptions.withEvents(hook(), List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
