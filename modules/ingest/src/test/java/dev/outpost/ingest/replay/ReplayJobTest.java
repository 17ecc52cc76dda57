package dev.outpost.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.ingest.IngestException;
import dev.outpost.ingest.InputLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplayJobTest {

  private static ReplayJob.Options parse(final String fromTopic, final String since, final String until, final String speed) {
    return ReplayJob.Options.parse(
        "ns", fromTopic == null ? Path.of("archive") : null, fromTopic, since, until, speed, Duration.ofSeconds(5), InputLimit.DEFAULT);
  }

  @Test
  void aDateIsItsStartInUtcAndATimeIsThatInstant() {
    final ReplayJob.Options options = parse(null, "2025-09-01", "2025-09-02T06:30:00Z", "60x");

    assertThat(options.since()).isEqualTo(Instant.parse("2025-09-01T00:00:00Z"));
    assertThat(options.until()).isEqualTo(Instant.parse("2025-09-02T06:30:00Z"));
    assertThat(options.speed()).isEqualTo(ReplaySpeed.parse("60x"));
    assertThat(parse(null, null, null, "max").since()).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "            | yesterday  | 2025-09-02 | max      | Invalid --since 'yesterday': use a date (2025-09-01) or a UTC time",
        "            | 2025-09-01 | 2025-13-40 | max      | Invalid --until '2025-13-40'",
        "            | 2025-09-02 | 2025-09-01 | max      | --since 2025-09-02 is not before --until 2025-09-01",
        "            | 2025-09-01 | 2025-09-01 | max      | --since 2025-09-01 is not before --until 2025-09-01",
        "            |            |            | sideways | Invalid --speed: ",
        "alerts.parade.v1 |       |            | max      | --from-topic 'alerts.parade.v1' holds Alert records, not news items",
        "x.news.classified.v1 |   |            | max      | --from-topic 'x.news.classified.v1' holds ClassifiedItem records",
      })
  void aBadFlagIsRefusedByName(final String fromTopic, final String since, final String until, final String speed, final String message) {
    assertThatThrownBy(() -> parse(fromTopic, since, until, speed)).isInstanceOf(IngestException.class).hasMessageStartingWith(message);
  }

  @Test
  void newsTopicsAndTopicsOutsideTheCatalogMayBeReplayed() {
    assertThat(parse("news.items.v1", null, null, "max").fromTopic()).isEqualTo("news.items.v1");
    assertThat(parse("first.news.items.v1", null, null, "max").fromTopic()).isEqualTo("first.news.items.v1");
    assertThat(parse("someone.elses.news", null, null, "max").fromTopic()).isEqualTo("someone.elses.news");
  }

  @Test
  void optionsTakeExactlyOneSourceInABadNamespaceNever() {
    final Duration every = Duration.ofSeconds(5);
    assertThatThrownBy(() -> new ReplayJob.Options("ns", Path.of("a"), "t", null, null, ReplaySpeed.MAX, every, InputLimit.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReplayJob.Options("ns", null, null, null, null, ReplaySpeed.MAX, every, InputLimit.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReplayJob.Options("Not A Namespace!", null, "t", null, null, ReplaySpeed.MAX, every, InputLimit.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNamespaceWithoutASavedReplayStartsTheOneAskedFor() {
    final ReplayState wanted = ReplayState.start("files /a (2)", null, null);

    assertThat(ReplayJob.resume("ns", null, wanted)).isSameAs(wanted);
  }

  @Test
  void theSameReplayResumesWhereItWasSaved() {
    final ReplayState saved = new ReplayState("files /a (2)", null, null, Map.of("items", 5L), 5, 1, false);

    assertThat(ReplayJob.resume("ns", saved.toJson(), ReplayState.start("files /a (2)", null, null))).isEqualTo(saved);
  }

  @Test
  void anotherReplayOrAnUnreadablePositionIsRefusedWithTheWayOut() {
    final String saved = new ReplayState("files /a (2)", null, null, Map.of("items", 5L), 5, 0, false).toJson();
    final ReplayState other = ReplayState.start("topic news.items.v1", null, null);

    assertThatThrownBy(() -> ReplayJob.resume("taken", saved, other))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("Namespace 'taken' holds another replay (")
        .hasMessageContaining("--delete-namespace");
    assertThatThrownBy(() -> ReplayJob.resume("taken", "not json", other))
        .isInstanceOf(IngestException.class)
        .hasMessageStartingWith("The saved position of namespace 'taken' is unreadable (");
  }

  @Test
  void theWaitEndsWhenNothingIsLeftAndSaysWhatIsLeftOncePerInterval() throws InterruptedException {
    final Iterator<Long> lags = List.of(30L, 20L, 10L, 0L).iterator();
    // Each look at the clock moves it on by one second.
    final AtomicLong clock = new AtomicLong();
    final List<Long> told = new ArrayList<>();

    final boolean done = ReplayJob.awaitZero(lags::next, new CountDownLatch(1), Duration.ofSeconds(2), () -> clock.addAndGet(1_000_000_000L), told::add);

    assertThat(done).isTrue();
    assertThat(lags).isExhausted();
    assertThat(told).containsExactly(20L);
  }

  @Test
  void aStopEndsTheWaitBeforeNothingIsLeft() throws InterruptedException {
    final AtomicLong asked = new AtomicLong();
    final List<Long> told = new ArrayList<>();

    final boolean done =
        ReplayJob.awaitZero(() -> 10 + asked.incrementAndGet(), new CountDownLatch(0), Duration.ofSeconds(5), System::nanoTime, told::add);

    assertThat(done).isFalse();
    assertThat(asked).hasValue(1);
    assertThat(told).isEmpty();
  }
}
