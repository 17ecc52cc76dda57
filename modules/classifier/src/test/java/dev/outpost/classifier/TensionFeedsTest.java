package dev.outpost.classifier;

import static dev.outpost.classifier.Category.DIPLOMATIC_TENSION;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Diplomatic tension as feeds from many sides of the wars write it: a state's name in front of a
 * private speaker (an actress, a newspaper, a chief rabbi, an opposition, a lobby, a victim's
 * father) does not make the speaker a government; a militant group (its claims, its clashes, its
 * seizures, a state that backs it) is not a state; warring parties blaming each other for drone,
 * missile and shelling attacks are battlefield news; eased visa restrictions, sanctions-hit
 * industries and stopping short of sanctions are not sanctions imposed. Each absent case is a
 * class of error seen on feed items; each present case is its twin that must keep the label.
 * Short invented sentences.
 */
class TensionFeedsTest {

  @ParameterizedTest(name = "no tension <- {0} | {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // a private speaker named by its state
        "Film star hits out at war | Canadian actress Jane Doe has condemned Pakistan over the strikes.",
        "Paper warns of weak army | The French newspaper has repeated its warnings that the army cannot fight Russia.",
        "Clergy speak out | Poland's chief rabbi condemns hate after anti-Israeli riots.",
        "Rome row | Spanish opposition politicians have accused the premier of bowing to China.",
        "Tour trouble | The singer blamed a boycott organised by the Turkish lobby in Brazil and Chile.",
        // militant groups are not states
        "Lebanon's Hezbollah militants show no sign of ending reckless attacks, US admiral says | ",
        "Army denies claims by Hamas officials that Israeli tanks fired on a crowd | ",
        "Hamas slams Palestinian president over new cabinet | ",
        "Israeli troops clashed with Hamas in Gaza overnight | ",
        "G7 urges Houthis to release a ship they seized off Yemen | ",
        "Academic held in Iraq | Israel said the academic had been kidnapped, blaming pro-Iranian militants in Iraq.",
        // warring parties blaming each other for battlefield attacks
        "Drones hit plant | The plant has been rocked by drone attacks that Kyiv and Moscow have blamed on each other.",
        "Donetsk officials accuse Ukraine of using long-range missiles supplied by the US | ",
        "Putin compares wars | The war has caused less damage than the hostilities between Hezbollah and Israel, the Russian president said.",
        "Gaza goes dark | Its networks were hit by Israeli retaliatory strikes, the Egyptian operator said.",
        "What the slogan means | Syrian and Jordanian scholars say the phrase is not inherently threatening to Israel.",
        "Pakistan condemns the bombing at a market in Kabul | ",
        "Kyiv's incursion shows the war is not going to plan for Russia | ",
        "Foreign ministry hits out | Israel's foreign ministry has criticised the Red Cross over its focus in the conflict.",
        // easing, background and stopping short
        "China to ease visa restrictions for US travellers | ",
        "Minister stops short of threatening sanctions on Azerbaijan | ",
        "Russian officials told to back sanctions-hit carmakers | Putin ordered officials to support sanctions-hit Russian carmakers."
      })
  void noTension(final String title, final String body) {
    assertThat(Labels.of(title, body)).doesNotContain(DIPLOMATIC_TENSION);
  }

  @ParameterizedTest(name = "tension <- {0} | {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Canada condemns Pakistan over the strikes | ",
        "France warns Russia against further provocations | ",
        "Spain accuses China of interfering in its elections | ",
        "Israel condemns Greece over remarks by its president | ",
        "Iran seizes British tanker in the Gulf | ",
        "Azerbaijan blames Iran for embassy attack | ",
        "Japan and South Korea condemn North Korea's missile launch | ",
        "US imposes new visa restrictions on Chinese officials | ",
        "Canada threatens sanctions on Azerbaijan | ",
        "Russia warns Israel of a harsh response | The hostilities between Russia and Israel are worsening, Egypt said.",
        "China vows retaliatory tariffs on US goods | ",
        "Japan protests Chinese incursion into its waters | ",
        "Brazil condemns Israeli bombing of the Gaza Strip | ",
        "Poland condemned the Russian bombing of Kharkiv | ",
        "Foreign ministry hits out | Israel's foreign ministry has criticised Spain over its remarks.",
        "UN deplores executions | The United Nations said it deplored the executions and urged Tehran to immediately stop the death penalty.",
        "Iran says it will not tolerate US provocations | ",
        "EU imposes new sanctions on Russia over Ukraine | "
      })
  void tension(final String title, final String body) {
    assertThat(Labels.of(title, body)).contains(DIPLOMATIC_TENSION);
  }
}
