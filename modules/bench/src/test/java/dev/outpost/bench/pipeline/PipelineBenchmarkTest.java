package dev.outpost.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.outpost.clients.ConsumerGroupLag;
import dev.outpost.topology.PipelineConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * What the pipeline benchmark decides without a broker: the order of its runs, when a run is
 * done, and the figures it reports.
 */
class PipelineBenchmarkTest {

  private static final Duration MS = Duration.ofMillis(1);

  @Test
  void theOrderAlternatesAndTheLastRoundRunsStoriesLast() {
    assertThat(order(1)).containsExactly(false);
    assertThat(order(2)).containsExactly(true, false);
    assertThat(order(3)).containsExactly(false, true, false);
    assertThat(order(4)).containsExactly(true, false, true, false);
  }

  @Test
  void theWarmUpIsHalfTheItemsWithinBounds() {
    assertThat(PipelineBenchmark.warmUpItems(1_000)).isEqualTo(1_000);
    assertThat(PipelineBenchmark.warmUpItems(50_000)).isEqualTo(25_000);
    assertThat(PipelineBenchmark.warmUpItems(200_000)).isEqualTo(50_000);
  }

  @Test
  void onlyTheApplicationsOwnRepartitionTopicsAreWatched() {
    final List<String> topics =
        List.of(
            "news.items.v1",
            "bench-stories-on-1-stories-by-category-repartition",
            "bench-stories-on-1-stories-changelog",
            "bench-stories-on-10-stories-by-category-repartition",
            "bench-stories-off-1-item-ids-seen-changelog",
            "bench-stories-on-1-a-repartition");

    assertThat(PipelineBenchmark.repartitionTopics(topics, "bench-stories-on-1"))
        .containsExactly("bench-stories-on-1-a-repartition", "bench-stories-on-1-stories-by-category-repartition");
    assertThat(PipelineBenchmark.repartitionTopics(topics, "bench-stories-off-1")).isEmpty();
  }

  @Test
  void whatIsLeftCountsUncommittedPartitionsWholeAndCanBeOneTopics() {
    final List<ConsumerGroupLag.Partition> lag =
        List.of(
            new ConsumerGroupLag.Partition(new TopicPartition("news.items.v1", 0), OptionalLong.of(90), 100),
            new ConsumerGroupLag.Partition(new TopicPartition("news.items.v1", 1), OptionalLong.empty(), 40),
            new ConsumerGroupLag.Partition(new TopicPartition("app-stories-by-category-repartition", 0), OptionalLong.of(7), 12),
            // A repartition partition no alert was keyed to: nothing to wait for.
            new ConsumerGroupLag.Partition(new TopicPartition("app-stories-by-category-repartition", 1), OptionalLong.empty(), 0));

    assertThat(PipelineBenchmark.left(lag, "news.items.v1")).isEqualTo(50);
    assertThat(PipelineBenchmark.left(lag, null)).isEqualTo(55);
    assertThat(PipelineBenchmark.left(lag.subList(3, 4), null)).isZero();
  }

  @Test
  void figuresAreMeansOverTheRoundsAndRatiosTheMeansOfEachRoundsRatio() {
    final PipelineBenchmark.Result result =
        result(round(20_000, 8_000, 6_000, true), round(10_000, 4_000, 4_000, false));

    assertThat(result.baselinePerSecond()).isEqualTo(15_000);
    assertThat(result.storiesOffPerSecond()).isEqualTo(6_000);
    assertThat(result.pipelinePerSecond()).isEqualTo(5_000);
    // (0.75 + 1.0) / 2, not 5,000 / 6,000: a round is compared within itself.
    assertThat(result.storiesRatio()).isCloseTo(0.875, within(1e-9));
    assertThat(result.storiesCost()).isCloseTo(0.125, within(1e-9));
    assertThat(result.ratio()).isCloseTo((0.3 + 0.4) / 2, within(1e-9));
    assertThat(result.storiesOffRatio()).isCloseTo(0.4, within(1e-9));
    // CPU per item is a million over the rate here, so the CPU ratios are the throughput ratios.
    assertThat(result.baselineCpuMicrosPerItem()).isCloseTo((50 + 100) / 2.0, within(1e-9));
    assertThat(result.storiesOffCpuMicrosPerItem()).isCloseTo((125 + 250) / 2.0, within(1e-9));
    assertThat(result.storiesOnCpuMicrosPerItem()).isCloseTo((1e6 / 6_000 + 250) / 2, within(1e-9));
    assertThat(result.storiesCpuRatio()).isCloseTo((0.75 + 1.0) / 2, within(1e-9));
  }

  @Test
  void aRoundsRatiosAreWithinIt() {
    final PipelineBenchmark.Round round =
        new PipelineBenchmark.Round(
            new PipelineBenchmark.Run(20_000, 60, 5), new PipelineBenchmark.Run(8_000, 200, 5), new PipelineBenchmark.Run(6_000, 400, 50), false);

    assertThat(round.storiesRatio()).isEqualTo(0.75);
    assertThat(round.storiesCpuRatio()).isEqualTo(0.5);
    assertThat(round.ratio()).isEqualTo(0.3);
    assertThat(round.storiesOffRatio()).isEqualTo(0.4);
  }

  @Test
  void aResultHasAtLeastOneRoundAndOptionsAtLeastOne() {
    assertThatThrownBy(PipelineBenchmarkTest::result).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PipelineBenchmark.Options(1000, 10, Duration.ofSeconds(1), 1, "at_least_once", Path.of("x"), 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyExactlyOnceDeduplicatesAndTheFirstLineSaysOverWhatWindow() {
    assertThat(PipelineBenchmark.Options.defaultDedupeWindow("exactly_once_v2")).isEqualTo(PipelineConfig.DEFAULT_DEDUPE_WINDOW);
    assertThat(PipelineBenchmark.Options.defaultDedupeWindow("at_least_once")).isZero();
    final PipelineBenchmark.Options exactlyOnce =
        new PipelineBenchmark.Options(
            1000, 10, Duration.ofSeconds(1), 1, "exactly_once_v2", Path.of("x"), 1, PipelineBenchmark.Options.defaultDedupeWindow("exactly_once_v2"));
    assertThat(exactlyOnce.describeGuarantee()).isEqualTo("exactly_once_v2, dedupe window 7d");
    final PipelineBenchmark.Options atLeastOnce =
        new PipelineBenchmark.Options(
            1000, 10, Duration.ofSeconds(1), 1, "at_least_once", Path.of("x"), 1, PipelineBenchmark.Options.defaultDedupeWindow("at_least_once"));
    assertThat(atLeastOnce.describeGuarantee()).isEqualTo("at_least_once, no dedupe");

    assertThat(new PipelineBenchmark.Options(1000, 10, Duration.ofSeconds(1), 1, "exactly_once_v2", Path.of("x"), 1, Duration.ofHours(12))
            .describeGuarantee())
        .isEqualTo("exactly_once_v2, dedupe window 12h");
    assertThatThrownBy(() -> new PipelineBenchmark.Options(1000, 10, Duration.ofSeconds(1), 1, "at_least_once", Path.of("x"), 1, Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at_least_once runs without deduplication");
    assertThatThrownBy(() -> new PipelineBenchmark.Options(1000, 10, Duration.ofSeconds(1), 1, "exactly_once_v2", Path.of("x"), 1, Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theProcessCpuTimeIsReadAndMoves() {
    final long before = PipelineBenchmark.processCpuNanos();
    long x = 0;
    for (int i = 0; i < 50_000_000; i++) {
      x += i ^ (x >>> 3);
    }

    assertThat(x).isNotZero();
    assertThat(before).isPositive();
    assertThat(PipelineBenchmark.processCpuNanos()).isGreaterThan(before);
    assertThat(PipelineBenchmark.jitCpuNanos()).isNotNegative().isLessThanOrEqualTo(PipelineBenchmark.processCpuNanos());
  }

  @Test
  void threadCountsAreParsedInTheirOrder() {
    assertThat(PipelineBenchmark.parseThreadCounts("1,2,4")).containsExactly(1, 2, 4);
    assertThat(PipelineBenchmark.parseThreadCounts(" 4 , 1")).containsExactly(4, 1);
    assertThat(PipelineBenchmark.parseThreadCounts("2")).containsExactly(2);
    assertThat(PipelineBenchmark.parseThreadCounts(String.valueOf(PipelineBenchmark.MAX_THREADS))).containsExactly(PipelineBenchmark.MAX_THREADS);
  }

  @Test
  void aBadThreadCountSaysWhatToFix() {
    assertThatThrownBy(() -> PipelineBenchmark.parseThreadCounts("1,two"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'two' is not a whole number")
        .hasMessageContaining("such as 1,2,4");
    assertThatThrownBy(() -> PipelineBenchmark.parseThreadCounts("1,,2")).hasMessageContaining("an empty count");
    assertThatThrownBy(() -> PipelineBenchmark.parseThreadCounts("")).hasMessageContaining("an empty count");
    assertThatThrownBy(() -> PipelineBenchmark.parseThreadCounts("0")).hasMessageContaining("0 threads: use 1 to " + PipelineBenchmark.MAX_THREADS);
    assertThatThrownBy(() -> PipelineBenchmark.parseThreadCounts(String.valueOf(PipelineBenchmark.MAX_THREADS + 1)))
        .hasMessageContaining("the input topic's partitions");
    assertThatThrownBy(() -> PipelineBenchmark.parseThreadCounts("2,1,2")).hasMessageContaining("2 is given twice");
  }

  @Test
  void aThreadCountsRatioIsTheMeanOfEachRoundsAndItsSpeedUpIsOverTheFirstCount() {
    final PipelineBenchmark.Scale one = new PipelineBenchmark.Scale(1, List.of(run(20_000), run(10_000)), List.of(run(6_000), run(4_000)));
    final PipelineBenchmark.Scale four = new PipelineBenchmark.Scale(4, List.of(run(30_000)), List.of(run(15_000)));
    final PipelineBenchmark.Scaling scaling = new PipelineBenchmark.Scaling(List.of(one, four), new LabelShare(10, 5, 6));

    assertThat(one.baselinePerSecond()).isEqualTo(15_000);
    assertThat(one.pipelinePerSecond()).isEqualTo(5_000);
    // (0.3 + 0.4) / 2, not 5,000 / 15,000: a round is compared within itself.
    assertThat(one.ratio()).isCloseTo(0.35, within(1e-9));
    assertThat(four.ratio()).isCloseTo(0.5, within(1e-9));
    assertThat(scaling.speedUp(one)).isEqualTo(1.0);
    assertThat(scaling.speedUp(four)).isCloseTo(3.0, within(1e-9));
  }

  @Test
  void theScalingPrintsALinePerCountAndEveryRatioLast() {
    final PipelineBenchmark.Scaling scaling =
        new PipelineBenchmark.Scaling(
            List.of(
                new PipelineBenchmark.Scale(1, List.of(run(20_000)), List.of(run(6_000))),
                new PipelineBenchmark.Scale(2, List.of(run(30_000)), List.of(run(12_000)))),
            new LabelShare(10, 5, 6));
    final StringWriter text = new StringWriter();

    scaling.print(new PrintWriter(text), 2_000, "some items", "exactly_once_v2", 1);

    final List<String> lines = text.toString().lines().toList();
    assertThat(lines.get(0)).startsWith("items                2,000: some items; exactly_once_v2");
    assertThat(lines).contains(
        "1 thread(s)          baseline 20,000 items/s, pipeline 6,000 items/s with stories (0.30 of baseline; 1.00x the pipeline with 1)",
        "2 thread(s)          baseline 30,000 items/s, pipeline 12,000 items/s with stories (0.40 of baseline; 2.00x the pipeline with 1)");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("pipeline/baseline 0.30 at 1 thread(s), 0.40 at 2 thread(s)");
  }

  @Test
  void aThreadCountHasOnePipelineRunPerBaselineRunAndScalingAtLeastOneCount() {
    assertThatThrownBy(() -> new PipelineBenchmark.Scale(1, List.of(run(1)), List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PipelineBenchmark.Scale(1, List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PipelineBenchmark.Scaling(List.of(), new LabelShare(10, 5, 6))).isInstanceOf(IllegalArgumentException.class);
  }

  /** A round whose CPU time per item is a million over its rate, in microseconds. */
  private static PipelineBenchmark.Round round(final double baseline, final double off, final double on, final boolean onFirst) {
    return new PipelineBenchmark.Round(run(baseline), run(off), run(on), onFirst);
  }

  private static PipelineBenchmark.Run run(final double perSecond) {
    return new PipelineBenchmark.Run(perSecond, 1e6 / perSecond, 0);
  }

  private static List<Boolean> order(final int rounds) {
    return IntStream.range(0, rounds).mapToObj(r -> PipelineBenchmark.storiesOnFirst(r, rounds)).toList();
  }

  private static PipelineBenchmark.Result result(final PipelineBenchmark.Round... rounds) {
    return new PipelineBenchmark.Result(
        List.of(rounds), new LabelShare(10, 5, 6), new PipelineBenchmark.StoryCounts(6, 6, 2), 0, MS, MS, MS);
  }
}
