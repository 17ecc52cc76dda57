package dev.outpost.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Durations said as people type them, in the largest unit that holds them whole. */
class DurationTextTest {

  @ParameterizedTest(name = "{0} ms is {1}")
  @CsvSource({
    "0, 0s",
    "250, 250ms",
    "1500, 1500ms",
    "10000, 10s",
    "90000, 90s",
    "300000, 5m",
    "5400000, 90m",
    "3600000, 1h",
    "129600000, 36h",
    "604800000, 7d",
    "-10000, -10s"
  })
  void saysADurationInItsLargestWholeUnit(final long millis, final String text) {
    assertThat(DurationText.format(Duration.ofMillis(millis))).isEqualTo(text);
  }

  @ParameterizedTest(name = "{0} ns is {1}")
  @CsvSource({"1, 1ms", "999999, 1ms", "1000001, 2ms"})
  void roundsAPartOfAMillisecondUpSoNothingPositiveReadsZero(final long nanos, final String text) {
    assertThat(DurationText.format(Duration.ofNanos(nanos))).isEqualTo(text);
  }
}
