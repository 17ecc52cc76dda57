package dev.outpost.classifier;

import static dev.outpost.classifier.Category.DIPLOMATIC_TENSION;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Diplomatic tension on whole news feeds: the false alarms (sanctions lifted or named beside
 * cooperation, UN envoys, "does not condemn", warnings of a battlefield move or to evacuate, street
 * protests) and the misses (accusations, proxy wars, hostile policies, downgraded relations, formal
 * protests) found there, each as a short invented sentence, with a twin that keeps or gets the label.
 */
class TensionPrecisionTest {

  @ParameterizedTest(name = "no tension <- {0} | {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // sanctions lifted, or exempted
        " | Washington announced a temporary lift on the Trump-era economic sanctions imposed on Venezuela's oil sector.",
        " | Hungary still buys Russian gas through a pipeline not covered by sanctions.",
        // cooperation beside sanctions
        "Chinese engineers visit Europe to deepen cooperation amid growing US sanctions | ",
        " | Despite the growing US sanctions on China, collaboration with European universities remains strong.",
        // not condemning is no condemnation
        " | The joint statement does not condemn Moscow's invasion after China refused to repeat the wording.",
        " | India again refused to condemn Russia's invasion of Ukraine at the summit.",
        // a warning of the enemy's next battlefield move
        "Ukraine warns Russia is preparing a major offensive | ",
        " | South Korea accused North Korea of firing missiles into the sea on Tuesday, and Japan agreed.",
        // an evacuation warning in a war
        " | The Gaza hospital said it had received warnings from Israeli forces to evacuate immediately, Egypt said.",
        // street protests
        " | Exiles staged a protest against China outside the embassy in Vienna, Austria.",
        " | Minorities protested at the Chinese consulate in Canada to condemn the Chinese government.",
        "Rights groups plan protest against China during Xi's visit to France | ",
        // a dispute between regions of one state
        " | Fighting erupted in a city at the centre of a dispute between Somalia's breakaway Somaliland and Puntland regions.",
        // a hostile bid is no hostile policy; a seizure of drugs is no seizure between states
        " | A US fund launched a hostile bid for the Japanese retailer on Monday.",
        " | The Colombian navy seized a vessel carrying cocaine bound for Spain.",
        // relations being repaired
        " | Seoul and Tokyo agreed on Monday to repair ties strained by the wartime labour row.",
        // a warning by no state
        " | The EU's top diplomat met students in Prague to talk about exchanges.",
        // people, not forces, told to leave; a river, not a state
        " | As a million Afghans are ordered to leave, Pakistan's streets are silent.",
        " | Oil spills have fouled the Niger Delta, and Nigerian fishermen blame Shell, France and the US.",
        // a resolution that praises, public opinion turning
        " | The assembly passed a resolution welcoming the ceasefire between Armenia and Azerbaijan.",
        " | Public opinion in Germany has turned against the war, a poll in France found.",
        // tension in a place, not between states
        " | China is deeply concerned about the escalation of tension and violence in Gaza, said Israel's neighbour Egypt.",
        " | The Pentagon said it would reduce tensions in West Asia and defend Israel by sending more jets.",
        // fighting or threatening non-state armed groups
        " | Chad will send troops to Cameroon to help it fight incursions from Boko Haram militants based in Nigeria.",
        " | Turkey's president threatened to launch a military operation against a US-backed Kurdish militia in Syria.",
        // ties deepening in a tense region
        " | Australia and Indonesia signed a defence pact, signalling deepening ties in a region fraught with tensions.",
        // hostage diplomacy
        "Hostage envoy says the US can bring home two Americans detained in Iran | The US special envoy for hostage affairs is confident they will be freed.",
        // disappointment and harassment with no second state
        " | Fans were deeply disappointed by the concert in Australia.",
        " | Police said a man was harassing staff at the embassy gate.",
        // an ambassador removed from post by his own government
        " | The ambassador to France was removed from his post by the president after a corruption probe.",
        // a dispute under negotiation
        " | Negotiations on the border dispute moved forward when Nepal's foreign minister visited Beijing.",
      })
  void noTension(final String title, final String body) {
    assertThat(Labels.of(title, body)).doesNotContain(DIPLOMATIC_TENSION);
  }

  @ParameterizedTest(name = "tension <- {0} | {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        " | The United States imposed new sanctions on Venezuela's oil sector on Monday.",
        " | Nicaragua freed dozens of prisoners amid bolstered United States sanctions.",
        "Mali declares French ambassador persona non grata | ",
        // a state against an international body's envoy counts (labelling notes)
        "Mali declares UN envoy persona non grata | ",
        " | The joint statement condemns Moscow's invasion of Ukraine in the strongest terms.",
        " | Ukraine warned Russia against any attack on the Zaporizhzhia plant.",
        " | Beijing accused Washington of meddling in Taiwan's affairs.",
        " | China protested against the Japanese minister's visit to the shrine.",
        " | The border dispute between Nepal and China flared again on Monday.",
        " | A proxy war between the United States and Iran is now playing out in Iraq.",
        " | Kim said there would be no talks while the US persists in its hostile policy towards North Korea.",
        " | Ukraine has alleged before the court that Russia breached the convention.",
        "Biden calls out extremists within Israel's government | The US president said he was talking with the Israeli prime minister.",
        " | China has downgraded its diplomatic relations with Lithuania, the foreign ministry said.",
        " | Japan formally protested the incident, the defence minister said.",
        "US confirms China spy base efforts in Cuba | A US official confirmed that China is expanding its spying efforts in Cuba.",
        "Chinese jets harassed Philippine patrol planes for two days: Manila | A patrol plane flies over the reef on May 3, 2021. (John Doe/AFP via Getty Images)",
        "Japan reiterates opposition to South Korean plan for the disputed islets | A visitor walks past a monument in Seoul on March 1, 2019. (Jane Roe/AP Photo)",
        " | Taiwan's foreign minister held meetings in Prague to improve relations with the EU, angering China.",
        "Why the Seoul-Beijing divide over defectors matters | Seoul is pressing Beijing over the repatriation of defectors.",
        " | Days later, a top diplomat warned of conflict with the US unless Washington changed course, China said.",
        " | The US refuses to deal with Damascus, leaving Syria isolated.",
        " | France completed the withdrawal of its troops after they were asked to leave Niger by the junta.",
        " | Millions in Niger face hardship due to economic sanctions imposed by its neighbours after the coup.",
        "UN resolution condemns Myanmar's abuse of minorities | The General Assembly passed a resolution denouncing abuses against minority groups.",
        " | In Venezuela, Maduro seems bent on annexing a large part of Guyana.",
        "World leaders turn against Biden over cluster bombs for Ukraine | Leaders pose for a photograph in Brussels on March 24, 2022. (John Doe/Pool/AFP via Getty Images)",
        " | Serbia's president and his Kosovar counterpart, Albin Kurti, on Monday traded barbs in televised interviews.",
        " | Tensions between China and the Philippines flared in the South China Sea.",
        " | The Turkish president threatened Syria with a military operation over the shelling of border towns.",
        " | Relations between Australia and China have been fraught since the trade war began, Canberra said.",
        " | China expelled two Japanese diplomats on Friday, a UN official said.",
        " | China lodged a protest at the Japanese embassy in Beijing on Monday.",
        " | Japan said in a protest note that Chinese ships had entered its waters.",
        " | The Australian government has sounded the alarm about the security pact between China and Solomon Islands.",
        " | Cambodia told the Security Council that Thai forces have violated its territory.",
        " | Venezuela urges Guyana to abandon its threatening behaviour.",
        " | Pakistan will not send its envoy back until Indian agencies stop harassing its diplomatic staff.",
        "Iran says it has seized a British-flagged oil tanker | ",
        " | Nigeria was not invited to the summit, where the Nigerian ambassador was removed from the hall by Ghana's guards.",
        " | Beijing warned of countermeasures. The sale comes a month after House Speaker Pelosi visited the island, angering China and Japan.",
      })
  void tension(final String title, final String body) {
    assertThat(Labels.of(title, body)).contains(DIPLOMATIC_TENSION);
  }

  @ParameterizedTest(name = "bracketed acronym <- {0} | {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Hospitals near collapse, warns PRC | The Palestinian Red Crescent (PRC) said it had been told by Israeli officers to leave. | false",
        "Japan warned by PRC | The People's Republic of China (PRC) warned Japan against sending ships to the strait. | true",
      })
  void anAcronymTheItemDefinesNamesNoState(final String title, final String body, final boolean china) {
    final Classification c = Labels.CLASSIFIER.classify(title, body);
    assertThat(c.actors().contains("CHN")).isEqualTo(china);
    assertThat(c.labels().contains(DIPLOMATIC_TENSION)).isEqualTo(china);
  }

  @ParameterizedTest(name = "headline beside a photo caption <- {0} | {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // a caption says nothing about the headline, which is judged alone
        "Chinese jets harassed Philippine patrol planes: Manila | A patrol plane over the reef on May 3, 2021. (John Doe/AFP via Getty Images) | true",
        // a body that reports something else still halves the headline
        "Chinese jets harassed Philippine patrol planes: Manila | The weather over the reef was calm on Monday, fishermen said. | false",
      })
  void aPhotoCaptionLeavesTheHeadlineToItself(final String title, final String body, final boolean tension) {
    assertThat(Labels.of(title, body).contains(DIPLOMATIC_TENSION)).isEqualTo(tension);
  }
}
