package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Error classes of the exercise, dispatch and parade rules: word senses, constructions and
 * contexts that made false alarms or missed events. Each row is a short invented sentence, the
 * category it concerns and whether that label must be there.
 */
class MilitaryRulesTest {

  private static void check(final String title, final String body, final String category, final boolean present) {
    final Category c = Category.valueOf(category);
    if (present) {
      assertThat(Labels.of(title, body)).as("%s expected in: %s %s", c, title, body).contains(c);
    } else {
      assertThat(Labels.of(title, body)).as("%s not expected in: %s %s", c, title, body).doesNotContain(c);
    }
  }

  @ParameterizedTest(name = "exercise {2}={3} <- {0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // short-stem collision: 'practices' is no 'practised'
        " | The minister said such practices are unfair to our defence and security forces. | MILITARY_EXERCISE | false",
        " | Marines practised beach landings with allied troops this week. | MILITARY_EXERCISE | true",
        // 'exercise of' a right or power, but not 'the exercise of 2024'
        " | The army said the exercise of its sovereign rights over the islands is not negotiable. | MILITARY_EXERCISE | false",
        " | Soldiers of both armies carried out the first joint strategic exercise of 2024 on Sunday. | MILITARY_EXERCISE | true",
        // schools closed by weather do not cancel an exercise; a school drill is no exercise
        " | Snow closed the base and area schools as soldiers returned from an exercise in the Arctic. | MILITARY_EXERCISE | true",
        " | Students at the school held a drill with the army reserve band watching. | MILITARY_EXERCISE | false",
        // recruitment 'exercise', think-tank war game scenarios, cooperation wish lists
        " | Half of the new troops have already been recruited in the exercise, officials said. | MILITARY_EXERCISE | false",
        " | In a war game scenario set in 2030, the navy fails to stop a blockade of the island. | MILITARY_EXERCISE | false",
        " | The ministers pledged closer defence cooperation, including joint exercises and staff talks. | MILITARY_EXERCISE | false",
        " | Every high street bank will join a day-long war game, dubbed Operation Grey Heron, against cyber criminals. | MILITARY_EXERCISE | false",
        // navy training and coordinated patrols are exercises
        " | Greece issued a notice for navy training in the Aegean next week. | MILITARY_EXERCISE | true",
        " | A coordinated patrol along the maritime boundary will follow, with ships of both navies taking part. | MILITARY_EXERCISE | true",
        " | The sea phase of the multinational event, with 20 ships taking part, ended on Friday. | MILITARY_EXERCISE | true",
      })
  void exercise(final String title, final String body, final String category, final boolean present) {
    check(title, body, category, present);
  }

  @ParameterizedTest(name = "dispatch {2}={3} <- {0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // unit numbers are no troop counts
        " | During the drill, troops from the 12 Airborne Force and the 4 Mechanized Battalion met the 9 Armoured Regiment. | TROOP_DISPATCH | false",
        " | The 3,000-soldier brigade has been training in the desert for a month. | TROOP_DISPATCH | false",
        // idioms and visitors
        " | Pay rises for service members are in a bill headed to the president's desk. | TROOP_DISPATCH | false",
        " | The defence minister arrived in the capital to inspect troops preparing for joint drills. | TROOP_DISPATCH | false",
        // forces used in a drill are not sent anywhere
        " | The navy deployed dozens of jets and warships around the island on Monday in live-fire drills. | TROOP_DISPATCH | false",
        " | The army launched drills near the strait, sending planes and ships to encircle it. | TROOP_DISPATCH | false",
        " | The drill also included marines flown in by helicopter to seize the airfield. | TROOP_DISPATCH | false",
        // weapons bought or launched are no dispatch
        " | The country is procuring 26 jets for deployment on board its new aircraft carrier. | TROOP_DISPATCH | false",
        " | The second frigate was launched and transferred to the water at the shipyard on Thursday. | TROOP_DISPATCH | false",
        // police to a UN mission; withdrawal alone; domestic relief
        " | A contingent of 120 police officers left for the capital to join the UN peacekeeping mission. | TROOP_DISPATCH | false",
        "UN peacekeeping mission withdraws after a decade | The UN peacekeeping mission is set to leave the country on Sunday. | TROOP_DISPATCH | false",
        " | As heavy rains lashed the state, the army has deployed columns to help with relief efforts. | TROOP_DISPATCH | false",
        // real dispatches
        " | The first batch of army troops left on Saturday to perform peacekeeping duties under the UN mission. | TROOP_DISPATCH | true",
        " | More than 200 troops of the 5th Battalion left the capital on Friday for Sudan. | TROOP_DISPATCH | true",
        " | The Navy is sending three ships to the eastern Mediterranean this week. | TROOP_DISPATCH | true",
        " | Officials recorded a large concentration of troops near the border over the past weeks. | TROOP_DISPATCH | true",
        " | State media announced the arrival of foreign ground troops and armoured vehicles in the capital. | TROOP_DISPATCH | true",
        " | The ministry said its troops would join the ongoing counter-insurgency operation in the north. | TROOP_DISPATCH | true",
        " | The army said it was strengthening its forces around the besieged town. | TROOP_DISPATCH | true",
        " | Soldiers and police officers from the island arrived in the capital on Tuesday. | TROOP_DISPATCH | true",
        // attacks are no deployment: fire concentrated, drones launched
        " | Russian forces concentrated their fire on the town overnight. | TROOP_DISPATCH | false",
        " | The attackers launched missiles and deployed drones against the city overnight. | TROOP_DISPATCH | false",
        " | The army has deployed along the northern frontier. | TROOP_DISPATCH | true",
        // 'a small army of' helpers is figurative
        " | An army of volunteers deployed to the beaches after the oil spill. | TROOP_DISPATCH | false",
        // soldiers sent with police to a UN mission still count
        " | The country sent 400 police officers and 200 soldiers to the UN peacekeeping mission. | TROOP_DISPATCH | true",
        // warships docking at a foreign base
        " | Two foreign naval vessels were the first ships to dock at the new pier of the naval base. | TROOP_DISPATCH | true",
        // a headline denying a build-up speaks for the body; a dispatch dated last month is background
        "No military build-up at the border, ministry says | Satellite images showed tanks being transported towards the border. | TROOP_DISPATCH | false",
        "Military build-up at the border alarms neighbours | Satellite images showed tanks being transported towards the border. | TROOP_DISPATCH | true",
        " | Hours before the army sent troops into the region last February, he warned of the plan. | TROOP_DISPATCH | false",
        // a withdrawal blocks only its own troops: more soldiers sent in the same sentence still count
        " | Officials spoke of a withdrawal in the north, but the army is sending more soldiers to the border. | TROOP_DISPATCH | true",
        " | The army is withdrawing troops from the border region this week. | TROOP_DISPATCH | false",
        " | The last combat troops have crossed the border into the neighbouring state, completing their withdrawal. | TROOP_DISPATCH | false",
        // aircraft or troops joining a deployed detachment or battlegroup
        " | Four fighter jets have joined the allied air detachment in the Baltic state. | TROOP_DISPATCH | true",
        " | The general said the soldiers joined the army ten years ago. | TROOP_DISPATCH | false",
      })
  void dispatch(final String title, final String body, final String category, final boolean present) {
    check(title, body, category, present);
  }

  @ParameterizedTest(name = "parade {2}={3} <- {0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // 'note' is no 'not'
        "Kyiv sends a note to Moscow over military parades in Crimea | | PARADE | true",
        // national-day parades in traditional costume
        " | The country marked independence day with a military parade. Thousands watched in traditional costumes. | PARADE | true",
        " | Children in costumes joined the costume parade through the old town. | PARADE | false",
        // military hardware on a national day, marching onto a parade ground
        " | The armed forces held a defence equipment parade through the capital to mark their anniversary. | PARADE | true",
        " | The nation will showcase its military prowess and cultural heritage on the avenue to mark Republic Day. | PARADE | true",
        " | Massed formations of all branches of the services marched onto the parade ground at dawn. | PARADE | true",
        " | The president praised the country's military prowess in a speech on economic growth. | PARADE | false",
        // sports veto words are whole words: troops that 'fan across the city' are no 'fans'
        " | Troops and performers will fan across the city after the parade, which features 22 military formations. | PARADE | true",
        " | Thousands of football fans cheered the club's victory parade through the city centre. | PARADE | false",
      })
  void parade(final String title, final String body, final String category, final boolean present) {
    check(title, body, category, present);
  }
}
