package dev.outpost.classifier;

import static dev.outpost.classifier.Category.DIPLOMATIC_TENSION;
import static dev.outpost.classifier.Category.PARADE;
import static dev.outpost.classifier.Category.TROOP_DISPATCH;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Background mentions, verbs whose subject is not a state, and battlefield moves: the false alarms
 * seen on whole feeds. The sentences are written for these tests after real headlines.
 */
class BackgroundAndActorTest {

  @ParameterizedTest(name = "background, not an event <- {0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        " | The holiday season in the United States has been a boon for China exports despite years of political and trade frictions.",
        " | Iranians say they have not been told how to prepare should hostilities break out between Iran and Israel.",
        " | China is Australia's largest trade partner but ties have been strained over human rights.",
        "Coming UN vote another test of US-China rivalry | ",
        " | China may criticise the US for turning the Middle East into a geopolitical arena.",
      })
  void aBackgroundMentionIsNoTension(final String title, final String body) {
    assertThat(Labels.of(title, body)).doesNotContain(DIPLOMATIC_TENSION);
  }

  @ParameterizedTest(name = "no state acts <- {0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Police seek Myanmar crime family | Warrants were issued for a politician and his children accused of targeting Chinese nationals.",
        "Berlusconi blames war on Ukraine's Zelensky | Italy's support for Ukraine is unwavering, the prime minister said after her ally blamed the war on Volodymyr Zelensky.",
        " | Politicians were quick to stress that the attacker was a Syrian refugee, to criticize the government over its migration policy in France.",
      })
  void aVerbWhoseSubjectIsNoStateIsNoTension(final String title, final String body) {
    assertThat(Labels.of(title, body)).doesNotContain(DIPLOMATIC_TENSION);
  }

  @ParameterizedTest(name = "military action, not diplomacy <- {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Israel retaliates after six missiles fired from Syria | Six rockets were fired from Syria towards Israel overnight, the Israeli military said.",
      })
  void aMilitaryRetaliationIsNoTension(final String title, final String body) {
    assertThat(Labels.of(title, body)).doesNotContain(DIPLOMATIC_TENSION);
  }

  @ParameterizedTest(name = "still tension <- {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Beijing accused the United States of meddling in its internal affairs.",
        "The United States condemned Russia's annexation of the region.",
        "Pakistan strongly condemned the remarks made by the Indian minister.",
        "The United States dismissed the reports, instead accusing Moscow of sending more soldiers to Ukraine.",
      })
  void aStateActingOnAStateIsStillTension(final String body) {
    assertThat(Labels.of("", body)).contains(DIPLOMATIC_TENSION);
  }

  @ParameterizedTest(name = "battlefield, not a dispatch <- {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "The Kremlin is trying to recruit thousands more troops before the offensive.",
        "Ukraine sends Western tanks into battle for the first time.",
        "Eight Chinese fighter jets crossed the strait's median line, Taiwan said.",
        "The truce between Israel and Hamas fighters entered a third day.",
      })
  void aBattlefieldMoveIsNoDispatch(final String body) {
    assertThat(Labels.of("", body)).doesNotContain(TROOP_DISPATCH);
  }

  @ParameterizedTest(name = "no military parade <- {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Repairs to the Masab Tank flyover slow down traffic.",
        "Members of the Canadian Armed Forces march during the Calgary Stampede parade.",
      })
  void aRoadOrRodeoIsNoParade(final String body) {
    assertThat(Labels.of("", body)).doesNotContain(PARADE);
  }
}
