package dev.outpost.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReplaySpeedTest {

  private static final Instant T0 = Instant.parse("2019-03-01T00:00:00Z");

  @Test
  void maxNeverWaits() {
    assertThat(ReplaySpeed.parse("max").delay(T0, Duration.ZERO, T0.plus(Duration.ofDays(3)))).isZero();
  }

  @Test
  void realtimeWaitsForTheGapBetweenPublicationTimesLessWhatHasPassed() {
    final ReplaySpeed realtime = ReplaySpeed.parse("realtime");

    assertThat(realtime.delay(T0, Duration.ofSeconds(20), T0.plusSeconds(60))).isEqualTo(Duration.ofSeconds(40));
    assertThat(realtime.delay(T0, Duration.ofSeconds(90), T0.plusSeconds(60))).isZero();
  }

  @Test
  void aMultipleShrinksTheGaps() {
    assertThat(ReplaySpeed.parse("60x").delay(T0, Duration.ZERO, T0.plus(Duration.ofHours(1)))).isEqualTo(Duration.ofMinutes(1));
    assertThat(ReplaySpeed.parse("0.5x").delay(T0, Duration.ZERO, T0.plusSeconds(10))).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void anItemEarlierThanTheFirstGoesAtOnce() {
    assertThat(ReplaySpeed.parse("realtime").delay(T0, Duration.ZERO, T0.minusSeconds(3600))).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"fast", "0x", "-2x", "x", "10", "NaNx", ""})
  void badSpeedsAreRefusedWithWhatIsAccepted(final String text) {
    assertThatThrownBy(() -> ReplaySpeed.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max, realtime, or a positive multiple");
  }

  @Test
  void itSaysItselfAsItWasWritten() {
    assertThat(ReplaySpeed.parse("max")).hasToString("max");
    assertThat(ReplaySpeed.parse("REALTIME")).hasToString("realtime");
    assertThat(ReplaySpeed.parse("60x")).hasToString("60x");
    assertThat(ReplaySpeed.parse("2.5x")).hasToString("2.5x");
  }
}
