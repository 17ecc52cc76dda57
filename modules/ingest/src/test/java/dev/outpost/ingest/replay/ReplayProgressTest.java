package dev.outpost.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplayProgressTest {

  private final AtomicLong now = new AtomicLong();
  private final StringWriter out = new StringWriter();

  @Test
  void plainLinesSayItemsRateAndTimeLeftAtMostOncePerInterval() {
    try (ReplayProgress progress = ReplayProgress.create(null, new PrintWriter(out), "ns", 10_000, Duration.ofSeconds(5), now::get)) {
      progress.update(0, 0);
      now.set(Duration.ofSeconds(2).toNanos());
      progress.update(2_000, 1_900);
      assertThat(out.toString()).as("not yet five seconds").isEmpty();

      now.set(Duration.ofSeconds(5).toNanos());
      progress.update(5_000, 4_800);
    }

    assertThat(out.toString().lines())
        .containsExactly(
            "replay ns: 5,000 of 10,000 items (50%), 1,000/s, 5s left, 4,800 sent",
            "replay ns: 5,000 of 10,000 items (50%), 1,000/s, 5s left, 4,800 sent");
  }

  @Test
  void aResumedReplayMeasuresItsRateFromWhereItResumed() {
    try (ReplayProgress progress = ReplayProgress.create(null, new PrintWriter(out), "ns", 1_000_000, Duration.ofHours(1), now::get)) {
      progress.update(400_000, 400_000);
      now.set(Duration.ofSeconds(10).toNanos());
      progress.update(410_000, 410_000);
    }

    assertThat(out.toString()).isEqualTo("replay ns: 410,000 of 1,000,000 items (41%), 1,000/s, 9m50s left, 410,000 sent" + System.lineSeparator());
  }

  @Test
  void timesLeftReadAsPeopleSayThem() {
    assertThat(ReplayProgress.Lines.human(Duration.ofSeconds(42))).isEqualTo("42s");
    assertThat(ReplayProgress.Lines.human(Duration.ofSeconds(120))).isEqualTo("2m");
    assertThat(ReplayProgress.Lines.human(Duration.ofSeconds(125))).isEqualTo("2m05s");
    assertThat(ReplayProgress.Lines.human(Duration.ofMinutes(185))).isEqualTo("3h05m");
  }
}
