package dev.outpost.classifier;

import static dev.outpost.classifier.Category.DIPLOMATIC_TENSION;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Diplomatic tension by the structure of the act, not by a tension word somewhere in the item: the
 * speaker must be a government (not a domestic agency, party or council, not a militant group),
 * the addressee a state (not its students, citizens or companies), sanctions imposed (not a
 * background listing, evasion or a market's guess), and relations worsening (not mended, avoided
 * or kept). Each absent case fired before these rules; each present case is its twin that must
 * keep or newly get the label. Short invented sentences.
 */
class TensionStructureTest {

  @ParameterizedTest(name = "no tension <- {0} | {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "US intelligence agency warns of dangerous individuals crossing from Mexico | ",
        "US: Man charged over attack | The FBI warned of rising threats linked to the war between Israel and Hamas.",
        "Former Philippine president visits China | The visit comes as the Philippines' ruling party accuses him of endorsing Beijing's claims.",
        "UK ministers to stop councils boycotting Israel | ",
        "Indian embassy in Canada warns students against joining protests | ",
        "Hezbollah threatens Israel over strikes in Lebanon | ",
        "Residents say Israeli jets struck Gaza without warning | ",
        "Oil rises as traders weigh potential sanctions on Iranian crude | ",
        "A tanker under US sanctions docked in South Africa last week | ",
        "Russian officer who appeared on a Ukrainian blacklist found dead | ",
        "Dialogue would help avoid more US-China confrontation, Taiwan's former leader says | ",
        "Hezbollah fires rockets at Israeli positions in a disputed area near Lebanon | ",
        "Israel appeals to Chinese president | Israel asks Xi Jinping to intervene personally to secure the release of a student held in Gaza.",
        "Minister warns British carmakers over exports reaching Russia | ",
        "Turkish minister explains why Turkey is not severing ties with Israel | ",
        "Russia scrambles fighter jet to intercept US bombers over Baltic Sea | Russian jets were sent to intercept two US bombers approaching its border.",
        "Australia and China aim to mend strained relations, Xi tells Albanese | ",
        "Putin defiant over Ukraine war as Russia marks Victory Day | ",
        "India's imports of Russian oil fall | India's October imports of Russian crude fell by 4%.",
        // an object state only straight after the verb (an article allowed), not after other words
        "Ex-premier blames war on Ukraine's president, Russia's media say | ",
        "Locals accused of targeting Chinese tourists in fraud scheme in Myanmar | ",
        // a headline whose body does not name its two states again counts at half weight
        "Britain orders China to close secret police stations | The security minister said the sites had been probed over the past year.",
        // military retaliation for fire is battlefield news
        "Israel retaliates after missiles fired from Syria | Rockets were fired from Syria towards Israel overnight, the Israeli military said."
      })
  void noTension(final String title, final String body) {
    assertThat(Labels.of(title, body)).doesNotContain(DIPLOMATIC_TENSION);
  }

  @ParameterizedTest(name = "tension <- {0} | {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "China opposes plans for US to host summit | ",
        "Hungary defies Western pressure over Sweden's bid to join NATO | ",
        "US ambassador will not attend ceremony in Japan over Israel's exclusion | ",
        "Britain orders China to close secret police stations | ",
        "Chinese embassy warns Washington against interference in Hong Kong | ",
        "Taiwan's foreign ministry accuses China of intimidation | ",
        "Ukraine's president sends a defiant message to Moscow | ",
        "EU imposes new sanctions on Iran over drone supplies to Russia | ",
        "Russia warns Poland against hosting US missiles | ",
        // insults, snubs, firm rebuffs; a verb whose object state follows an article
        "North Korea hurls insults at South Korean president | ",
        "German envoy given cold shoulder on visit to Beijing | ",
        "Chinese diplomat strongly dismisses US belief that China gains more from trade | ",
        "NATO warned the Russian Federation against provocations toward Ukraine | ",
        // a body naming the headline's two states again carries the headline in full
        "Britain orders China to close secret police stations | Britain has probed claims that Chinese stations were operating at three sites."
      })
  void tension(final String title, final String body) {
    assertThat(Labels.of(title, body)).contains(DIPLOMATIC_TENSION);
  }
}
