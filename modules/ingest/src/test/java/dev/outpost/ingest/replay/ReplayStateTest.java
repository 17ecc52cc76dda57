package dev.outpost.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayStateTest {

  @Test
  void aStateReadsBackAsItWasWritten() {
    final ReplayState state =
        new ReplayState("topic news.items.v1", "2019-03-01T00:00:00Z", null, Map.of("0", 12L, "1", 7L), 19, 3, false);

    assertThat(ReplayState.fromJson(state.toJson())).isEqualTo(state);
  }

  @Test
  void onlyTheSameSourceBetweenTheSameBoundsResumes() {
    final ReplayState saved = new ReplayState("files /a (2)", "2019-03-01T00:00:00Z", null, Map.of("items", 5L), 5, 0, false);

    assertThat(saved.sameReplayAs(ReplayState.start("files /a (2)", "2019-03-01T00:00:00Z", null))).isTrue();
    assertThat(saved.sameReplayAs(ReplayState.start("files /b (2)", "2019-03-01T00:00:00Z", null))).isFalse();
    assertThat(saved.sameReplayAs(ReplayState.start("files /a (2)", null, null))).isFalse();
    assertThat(saved.sameReplayAs(ReplayState.start("files /a (2)", "2019-03-01T00:00:00Z", "2019-04-01T00:00:00Z"))).isFalse();
  }

  @Test
  void somethingElseIsNotTakenForAState() {
    assertThatThrownBy(() -> ReplayState.fromJson("{\"etag\":\"x\"}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReplayState.fromJson("not json")).isInstanceOf(IllegalArgumentException.class);
  }
}
