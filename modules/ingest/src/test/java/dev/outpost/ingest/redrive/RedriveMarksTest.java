package dev.outpost.ingest.redrive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedriveMarksTest {

  @Test
  void aRedriveOfOneReasonLeavesTheOthersWhereTheyWere() {
    // given: nothing redriven yet
    final RedriveMarks start = RedriveMarks.at(0);

    // when: the dead letters of one reason are redriven up to offset 40
    final RedriveMarks after = start.advance(Set.of("unknown_schema_id"), 40);

    // then: that reason stands at 40, every other at 0, and a redrive of another starts at 0
    assertThat(after.of("unknown_schema_id")).isEqualTo(40);
    assertThat(after.of("title_too_large")).isZero();
    assertThat(after.lowest(Set.of("title_too_large"))).isZero();
    assertThat(after.lowest(Set.of("unknown_schema_id"))).isEqualTo(40);
    assertThat(after.lowest(Set.of())).as("a redrive of every reason").isZero();
  }

  @Test
  void aRedriveOfEveryReasonMovesAllMarksAndNeverBack() {
    final RedriveMarks marks = RedriveMarks.at(0).advance(Set.of("a"), 50).advance(Set.of("b"), 10);

    final RedriveMarks all = marks.advance(Set.of(), 30);

    assertThat(all.of("a")).as("not moved back").isEqualTo(50);
    assertThat(all.of("b")).isEqualTo(30);
    assertThat(all.of("never-seen")).isEqualTo(30);
    assertThat(all.byReason()).as("marks equal to the common one are not kept apart").isEqualTo(Map.of("a", 50L));
    assertThat(all.lowest(List.of())).isEqualTo(30);
  }

  @Test
  void theMarksSurviveTheCommitMetadata() {
    final RedriveMarks marks = RedriveMarks.at(12).advance(Set.of("processing_failed"), 99);

    final RedriveMarks read = RedriveMarks.fromCommit(99, marks.toMetadata());

    assertThat(read).isEqualTo(marks);
    assertThat(marks.toMetadata()).isEqualTo("{\"v\":1,\"all\":12,\"by\":{\"processing_failed\":99}}");
  }

  @Test
  void anOffsetCommittedWithoutMarksCountsForEveryReason() {
    assertThat(RedriveMarks.fromCommit(7, "")).isEqualTo(RedriveMarks.at(7));
    assertThat(RedriveMarks.fromCommit(7, null).of("any")).isEqualTo(7);
  }

  @Test
  void metadataThatIsNotMarksIsRefused() {
    assertThatThrownBy(() -> RedriveMarks.fromCommit(7, "written by someone else")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedriveMarks.fromCommit(7, "{\"v\":9}")).hasMessageContaining("not the marks of a redrive");
  }
}
