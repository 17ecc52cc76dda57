package dev.outpost.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The replay benchmark's figures, without a broker. */
class ReplayBenchmarkTest {

  @Test
  void bothReplaysAreComparedWithTheMeanRawProduceOfTheSameRun() {
    final ReplayBenchmark.Result result = new ReplayBenchmark.Result(30_000, 50_000, 32_000, 24_000, 30, 1 << 20);

    assertThat(result.producePerSecond()).isEqualTo(40_000);
    assertThat(result.ratio()).isCloseTo(0.8, within(1e-9));
    assertThat(result.classifiedRatio()).isCloseTo(0.6, within(1e-9));
  }
}
