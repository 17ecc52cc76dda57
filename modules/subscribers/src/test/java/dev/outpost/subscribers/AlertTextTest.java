package dev.outpost.subscribers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.EvidenceSpan;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertTextTest {

  private static Alert alert(final String storyId, final int storyItems, final int storySources) {
    return Alert.newBuilder()
        .setAlertId("item-1#troop_dispatch")
        .setItemId("item-1")
        .setCategory(Category.TROOP_DISPATCH)
        .setConfidence(0.87)
        .setActors(List.of("CHN", "JPN"))
        .setEvidence(
            List.of(
                EvidenceSpan.newBuilder()
                    .setField("body")
                    .setStart(0)
                    .setEnd(11)
                    .setText("sent troops")
                    .setRuleId("dispatch.verb_personnel")
                    .build()))
        .setTitle("Beijing sends troops")
        .setSource("test")
        .setClassifiedAt(Instant.EPOCH)
        .setClassifierVersion("v")
        .setStoryId(storyId)
        .setStoryItems(storyItems)
        .setStorySources(storySources)
        .build();
  }

  @Test
  void anAlertWithoutAStoryIsThreeLinesAsBeforeStories() {
    assertThat(AlertText.format(alert(null, 0, 0)))
        .isEqualTo(
            String.format(
                "ALERT troop_dispatch     0.87  Beijing sends troops%n"
                    + "      item item-1  actors CHN, JPN%n"
                    + "      evidence \"sent troops\" (dispatch.verb_personnel)"))
        .doesNotContain("story");
  }

  @Test
  void anAlertOfAStoryShowsTheStartOfItsIdAndTheStorysCounts() {
    assertThat(AlertText.format(alert("3f2a9c1e77d04b51a0e2", 7, 5)))
        .isEqualTo(
            String.format(
                "ALERT troop_dispatch     0.87  Beijing sends troops%n"
                    + "      item item-1  actors CHN, JPN  story 3f2a9c1e \u00b7 7 reports from 5 sources%n"
                    + "      evidence \"sent troops\" (dispatch.verb_personnel)"));
  }

  @Test
  void theAlertThatStartedAStoryIsOneReportFromOneSourceAndAShortIdIsShownWhole() {
    assertThat(AlertText.story(alert("s-42", 1, 1))).isEqualTo("story s-42 \u00b7 1 report from 1 source");
  }

  @Test
  void aPhraseFoundSeveralTimesByOneRuleIsShownOnceWithItsCount() {
    final Alert a = alert(null, 0, 0);
    final EvidenceSpan troops = a.getEvidence().get(0);
    final EvidenceSpan drills =
        EvidenceSpan.newBuilder(troops).setText("drills").setRuleId("exercise.drill").setStart(20).setEnd(26).build();
    a.setEvidence(
        List.of(
            troops,
            drills,
            EvidenceSpan.newBuilder(troops).setStart(40).setEnd(51).build(),
            EvidenceSpan.newBuilder(troops).setStart(60).setEnd(71).build()));
    assertThat(AlertText.format(a))
        .endsWith("evidence \"sent troops\" (dispatch.verb_personnel) \u00d73; \"drills\" (exercise.drill)");
  }
}
