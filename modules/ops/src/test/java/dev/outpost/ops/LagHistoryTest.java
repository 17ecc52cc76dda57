package dev.outpost.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.ops.lag.GroupLag;
import dev.outpost.ops.lag.LagStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class LagHistoryTest {

  private static GroupLag group(final String name, final long records, final LagStatus status) {
    return new GroupLag(name, "Stable", 1, status, "test", records, records / 10.0, 0, null, List.of(records), List.of());
  }

  @Test
  void keepsTheLastSamplesOfEachGroupOldestFirstAndDropsAGroupThatLeftTheReport() {
    // given
    final LagHistory history = new LagHistory(3);

    // when: four samples of 'a', the last three also of 'b', then 'b' leaves the report
    history.record(List.of(group("a", 1, LagStatus.OK)), 1_000);
    for (int i = 2; i <= 4; i++) {
      history.record(List.of(group("a", i, LagStatus.OK), group("b", 10 * i, LagStatus.WARNING)), i * 1_000L);
    }
    assertThat(history.points().get("b")).extracting(LagHistory.Point::lagRecords).containsExactly(20L, 30L, 40L);
    history.record(List.of(group("a", 5, LagStatus.STALL)), 5_000);

    // then: 'a' keeps its last three, the newest with its status
    assertThat(history.points()).containsOnlyKeys("a");
    assertThat(history.points().get("a")).extracting(LagHistory.Point::lagRecords).containsExactly(3L, 4L, 5L);
    assertThat(history.points().get("a").get(2)).isEqualTo(new LagHistory.Point(5_000, 5, 0.5, "STALL"));
    assertThatThrownBy(() -> new LagHistory(1)).isInstanceOf(IllegalArgumentException.class);
  }
}
