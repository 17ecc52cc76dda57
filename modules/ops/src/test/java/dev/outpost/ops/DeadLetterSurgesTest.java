package dev.outpost.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dead-letter surges, on a clock the test moves: one event per surge, until it subsides. */
class DeadLetterSurgesTest {

  private static final String DLQ = "news.items.dlq.v1";
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

  /** A clock the test sets. */
  private static final class TestClock extends Clock {
    private Instant now = T0;

    void advance(final Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(final ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final TestClock clock = new TestClock();
  private final List<ObjectNode> events = new ArrayList<>();
  private final DeadLetterSurges surges =
      new DeadLetterSurges(DeadLetterSurges.Rule.DEFAULT, clock, (key, event) -> {
        assertThat(key).isEqualTo(DeadLetterSurges.KEY);
        events.add(event);
      });

  private void counts(final Map<String, Long> byReason) {
    surges.accept(new DeadLetterCounts.Snapshot(true, Map.of(DLQ, byReason), clock.millis(), null));
  }

  private List<String> kinds() {
    return events.stream().map(e -> e.get("kind").asText()).toList();
  }

  @Test
  void aSurgeOfOneReasonIsOneEventUntilItSubsides() {
    // given: 500 dead letters from before the process started, which are no surge
    counts(Map.of("unknown_schema_id", 500L));
    clock.advance(Duration.ofMinutes(1));
    counts(Map.of("unknown_schema_id", 505L));
    assertThat(events).isEmpty();

    // when: eleven within five minutes
    clock.advance(Duration.ofMinutes(1));
    counts(Map.of("unknown_schema_id", 511L));

    // then: one event, naming the reason and the counts
    assertThat(kinds()).containsExactly(DeadLetterSurges.KIND_SURGE);
    final ObjectNode surge = events.get(0);
    assertThat(surge.get("reason").asText()).isEqualTo("unknown_schema_id");
    assertThat(surge.get("added").asLong()).isEqualTo(11);
    assertThat(surge.get("total").asLong()).isEqualTo(511);
    assertThat(surge.get("threshold").asLong()).isEqualTo(10);
    assertThat(surge.get("windowSeconds").asLong()).isEqualTo(300);
    assertThat(surge.get("addedByReason").get("unknown_schema_id").asLong()).isEqualTo(11);
    assertThat(surge.get("eventId").asText()).isEqualTo("dlq-surge:unknown_schema_id:" + T0.plus(Duration.ofMinutes(2)).toEpochMilli());
    assertThat(surge.get("at").asText()).isEqualTo(T0.plus(Duration.ofMinutes(2)).toString());

    // when: it goes on growing, then stops
    for (int i = 1; i <= 4; i++) {
      clock.advance(Duration.ofMinutes(1));
      counts(Map.of("unknown_schema_id", 511L + 20L * i));
    }
    // then: still the one event
    assertThat(kinds()).containsExactly(DeadLetterSurges.KIND_SURGE);

    // when: five minutes with no new dead letter
    for (int i = 1; i <= 5; i++) {
      clock.advance(Duration.ofMinutes(1));
      counts(Map.of("unknown_schema_id", 591L));
    }
    // then: it subsided, said once
    assertThat(kinds()).containsExactly(DeadLetterSurges.KIND_SURGE, DeadLetterSurges.KIND_ENDED);
    assertThat(events.get(1).get("reason").asText()).isEqualTo("unknown_schema_id");
    assertThat(events.get(1).get("since").asText()).isEqualTo(T0.plus(Duration.ofMinutes(2)).toString());

    // when: a new surge
    clock.advance(Duration.ofMinutes(1));
    counts(Map.of("unknown_schema_id", 602L));
    // then: a new event, with an id of its own
    assertThat(kinds()).containsExactly(DeadLetterSurges.KIND_SURGE, DeadLetterSurges.KIND_ENDED, DeadLetterSurges.KIND_SURGE);
    assertThat(events.get(2).get("eventId").asText()).isNotEqualTo(events.get(0).get("eventId").asText());
  }

  @Test
  void slowGrowthIsNoSurge() {
    long n = 0;
    for (int i = 0; i < 60; i++) {
      counts(Map.of("title_too_large", n));
      n += 2;
      clock.advance(Duration.ofMinutes(1));
    }

    // Ten every five minutes, never more than ten
    assertThat(events).isEmpty();
  }

  @Test
  void aSurgeSpreadOverReasonsIsOneEventWithoutAReason() {
    counts(Map.of());
    clock.advance(Duration.ofMinutes(1));

    counts(Map.of("title_too_large", 6L, "missing_field", 6L));

    assertThat(kinds()).containsExactly(DeadLetterSurges.KIND_SURGE);
    assertThat(events.get(0).get("reason").isNull()).isTrue();
    assertThat(events.get(0).get("added").asLong()).isEqualTo(12);
    assertThat(events.get(0).get("addedByReason").get("missing_field").asLong()).isEqualTo(6);
  }

  @Test
  void oneReasonSurgingIsNotAlsoReportedAsASurgeOfAll() {
    counts(Map.of("processing_failed", 0L));
    clock.advance(Duration.ofMinutes(1));

    counts(Map.of("processing_failed", 30L));
    clock.advance(Duration.ofMinutes(6));
    counts(Map.of("processing_failed", 30L));

    assertThat(kinds()).containsExactly(DeadLetterSurges.KIND_SURGE, DeadLetterSurges.KIND_ENDED);
    assertThat(events).allSatisfy(e -> assertThat(e.get("reason").asText()).isEqualTo("processing_failed"));
  }

  @Test
  void countsNotYetReadOrThatFellAreNoSurge() {
    surges.accept(new DeadLetterCounts.Snapshot(false, Map.of(), 0, null));
    counts(Map.of("wrong_magic_byte", 100L));
    clock.advance(Duration.ofMinutes(1));
    // A namespace with 100 dead letters deleted, then 100 again: back where it was, not a surge.
    counts(Map.of());
    clock.advance(Duration.ofMinutes(1));
    counts(Map.of("wrong_magic_byte", 100L));

    assertThat(events).isEmpty();
  }
}
