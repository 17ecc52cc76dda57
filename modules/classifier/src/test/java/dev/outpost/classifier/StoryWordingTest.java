package dev.outpost.classifier;

import static dev.outpost.classifier.Category.DIPLOMATIC_TENSION;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Wordings on which one outlet's version of a story used to get a label the others did not: the
 * same-story set's errors, pinned with invented sentences.
 */
class StoryWordingTest {

  private static final Classifier CLASSIFIER = Classifier.withDefaultRules();

  @ParameterizedTest(name = "sanctions ended <- {0}")
  @ValueSource(strings = {
      "The president signed an order revoking longstanding U.S. sanctions on Syria, citing positive steps by its new government.",
      "Brussels repealed the sanctions on Belarus's potash exports after the prisoners were freed.",
      "Canada scrapped its sanctions against Venezuela's oil company in exchange for election guarantees.",
  })
  void sanctionsRevokedRepealedOrScrappedAreNoStrain(final String text) {
    assertThat(CLASSIFIER.classify("", text).labels()).doesNotContain(DIPLOMATIC_TENSION);
  }

  @ParameterizedTest(name = "confrontation renounced <- {0}")
  @ValueSource(strings = {
      "Azerbaijan and Armenia have formally renounced military confrontation in a declaration signed in Washington.",
      "Peru and Ecuador renounced hostilities along their border in the accord signed on Monday.",
  })
  void renouncingConfrontationEndsIt(final String text) {
    assertThat(CLASSIFIER.classify("", text).labels()).doesNotContain(DIPLOMATIC_TENSION);
  }

  @ParameterizedTest(name = "a warning to the world <- {0}")
  @ValueSource(strings = {
      "Chinese President Xi Jinping warned the world was facing a choice between peace or war as he stood beside Russia's Vladimir Putin.",
      "India's prime minister warned humanity faced its gravest test as leaders from Brazil and South Africa listened.",
  })
  void aWarningToTheWorldNamesNoStateAsItsTarget(final String text) {
    assertThat(CLASSIFIER.classify("", text).labels()).doesNotContain(DIPLOMATIC_TENSION);
  }

  @ParameterizedTest(name = "the West as the other side <- {0}")
  @ValueSource(strings = {
      "The ministry said the drills were in response to provocative statements and threats of certain Western officials regarding the Russian Federation.",
      "Iran's foreign ministry accused Western governments of meddling in its internal affairs.",
  })
  void theWestCountsAsTheOtherSide(final String text) {
    final Classification result = CLASSIFIER.classify("", text);
    assertThat(result.labels()).contains(DIPLOMATIC_TENSION);
    assertThat(result.result(DIPLOMATIC_TENSION).evidence()).isNotEmpty();
  }
}
