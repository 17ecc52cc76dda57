package dev.outpost.ops.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status rules on synthetic series: one per status, and the transitions between them. */
class StatusRulesTest {

  private static final StatusRules RULES = new StatusRules(5, 3);

  /** Samples a second apart from (committed, end) pairs, the group active. */
  private static List<Sample> series(final long... committedEnd) {
    final List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < committedEnd.length; i += 2) {
      samples.add(new Sample(i * 500L, committedEnd[i], committedEnd[i + 1], true, null));
    }
    return samples;
  }

  @Test
  void caughtUpIsOk() {
    assertThat(RULES.evaluate(series(10, 10, 20, 20, 30, 30))).isEqualTo(LagStatus.OK);
  }

  @Test
  void committingWithSteadyLagIsOk() {
    assertThat(RULES.evaluate(series(10, 15, 20, 24, 30, 36, 40, 45))).isEqualTo(LagStatus.OK);
  }

  @Test
  void lagGrowingAcrossTheWindowIsAWarning() {
    assertThat(RULES.evaluate(series(10, 12, 20, 25, 30, 40, 40, 60))).isEqualTo(LagStatus.WARNING);
  }

  @Test
  void anOffsetThatDoesNotMoveWithLagIsAStall() {
    assertThat(RULES.evaluate(series(10, 20, 10, 25, 10, 30))).isEqualTo(LagStatus.STALL);
  }

  @Test
  void lagWithoutMembersIsAStopEvenFromOneSample() {
    assertThat(RULES.evaluate(List.of(new Sample(0, 10, 50, false, null)))).isEqualTo(LagStatus.STOP);
  }

  @Test
  void anOffsetGoingBackIsARewind() {
    assertThat(RULES.evaluate(series(30, 40, 35, 45, 5, 50))).isEqualTo(LagStatus.REWIND);
  }

  @Test
  void unreadableOrImpossibleOffsetsAreAnError() {
    assertThat(RULES.evaluate(List.of(new Sample(0, 10, 20, true, "timeout")))).isEqualTo(LagStatus.ERROR);
    assertThat(RULES.evaluate(series(30, 20))).isEqualTo(LagStatus.ERROR);
  }

  @Test
  void tooFewSamplesShowNoTrend() {
    assertThat(RULES.evaluate(series(10, 20, 10, 30))).isEqualTo(LagStatus.OK);
  }

  @Test
  void transitionsFollowTheWindow() {
    final List<Sample> s = new ArrayList<>(series(10, 10, 20, 20, 30, 30));
    assertThat(RULES.evaluate(s)).isEqualTo(LagStatus.OK);
    // The consumer stops moving while producers go on: a stall once the window holds only that.
    for (int i = 0; i < 5; i++) {
      s.add(new Sample(10_000 + i * 1000L, 30, 40 + i * 10, true, null));
    }
    assertThat(RULES.evaluate(s)).isEqualTo(LagStatus.STALL);
    // The members leave: stop.
    s.add(new Sample(20_000, 30, 100, false, null));
    assertThat(RULES.evaluate(s)).isEqualTo(LagStatus.STOP);
    // They come back and catch up: ok.
    s.add(new Sample(21_000, 100, 100, true, null));
    assertThat(RULES.evaluate(s)).isEqualTo(LagStatus.OK);
    // A reset to the start while in the window: rewind, until it leaves the window.
    s.add(new Sample(22_000, 0, 100, true, null));
    assertThat(RULES.evaluate(s)).isEqualTo(LagStatus.REWIND);
    for (int i = 1; i <= 5; i++) {
      s.add(new Sample(22_000 + i * 1000L, i * 20, 100, true, null));
    }
    assertThat(RULES.evaluate(s)).isEqualTo(LagStatus.OK);
  }

  @Test
  void eachVerdictSaysWhichRuleSetItWithItsNumbers() {
    assertThat(RULES.judge(series(10, 10, 20, 20, 30, 30)).reason()).isEqualTo("caught up");
    assertThat(RULES.judge(series(10, 20, 10, 25, 10, 30)).reason())
        .isEqualTo("the committed offset has not moved for 3 samples while 20 records wait");
    assertThat(RULES.judge(series(10, 12, 20, 25, 30, 40, 40, 60)).reason())
        .isEqualTo("committing, but the lag grew at each of the last 4 samples, from 2 to 20");
    assertThat(RULES.judge(List.of(new Sample(0, 10, 11, false, null))).reason()).isEqualTo("no members, and 1 record behind");
    assertThat(RULES.judge(series(30, 40, 35, 45, 5, 50)).reason()).isEqualTo("the committed offset went back from 35 to 5 within the last 3 samples");
    assertThat(RULES.judge(series(30, 20)).reason()).contains("past the log end 20");
  }

  @Test
  void offsetsThatHoldNoRecordAreNotLagSoACaughtUpTransactionalReaderNeverStalls() {
    // The commit marker after the last record: one offset, no record, sample after sample.
    final List<Sample> s = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      s.add(new Sample(i * 1000L, 9, 10, true, null, 1));
    }
    assertThat(s.get(0).lag()).isZero();
    assertThat(RULES.judge(s)).isEqualTo(new StatusRules.Verdict(LagStatus.OK, "caught up"));
    // Counted as offsets, the same samples were a stall.
    assertThat(RULES.evaluate(s.stream().map(x -> new Sample(x.timeMs(), x.committed(), x.end(), true, null)).toList()))
        .isEqualTo(LagStatus.STALL);
  }

  @Test
  void theEmptyAgeMustNotBeNegative() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new StatusRules(5, 3, java.time.Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty age");
  }

  @Test
  void theWorstStatusOfAGroupWins() {
    assertThat(LagStatus.OK.worst(LagStatus.STALL).worst(LagStatus.WARNING)).isEqualTo(LagStatus.STALL);
  }

  @Test
  void eachStatusKeepsTheGaugeValueTheMetricDescriptionGives() {
    // "0 OK, 1 WARNING, 2 STALL, 3 STOP, 4 REWIND, 5 ERROR": dashboards and alert rules read these.
    assertThat(LagStatus.OK.severity()).isZero();
    assertThat(LagStatus.WARNING.severity()).isEqualTo(1);
    assertThat(LagStatus.STALL.severity()).isEqualTo(2);
    assertThat(LagStatus.STOP.severity()).isEqualTo(3);
    assertThat(LagStatus.REWIND.severity()).isEqualTo(4);
    assertThat(LagStatus.ERROR.severity()).isEqualTo(5);
  }
}
