package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Coverage of the exercise, dispatch and parade lexicons beyond the wordings of the tuning items:
 * synonyms and news idioms for each event (manoeuvres, wargames, rehearsing a landing, rushing or
 * pouring in troops, stationing a brigade, Trooping the Colour) and the trap senses of the same
 * words (an exercise in futility, marine biologists, shares sent tanking, an airline fleet, an aid
 * flotilla, captured soldiers paraded). Invented sentences; each asserts a label present or absent.
 */
class MilitaryCoverageTest {

  private static final Classifier CLASSIFIER = Classifier.withDefaultRules();

  @ParameterizedTest(name = "{1}={2} <- {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // exercise: wordings of drills and war games
        "Chinese and Russian warships began week-long naval manoeuvres in the Sea of Japan on Tuesday. | MILITARY_EXERCISE | true",
        "The two navies staged wargames off the southern coast, the defence ministry said. | MILITARY_EXERCISE | true",
        "Marines from both countries rehearsed an amphibious landing on a beach near the border. | MILITARY_EXERCISE | true",
        "The air force held gunnery practice over the sea, firing at towed targets. | MILITARY_EXERCISE | true",
        "NATO allies kicked off large-scale war-games in the Baltic on Monday. | MILITARY_EXERCISE | true",
        "Soldiers fired artillery during live-firing near the frontier on Sunday. | MILITARY_EXERCISE | true",
        "Belarus ordered a snap check of its troops on Friday, moving units to training grounds. | MILITARY_EXERCISE | true",
        "The army carried out manoeuvring exercises with tanks and infantry in the north. | MILITARY_EXERCISE | true",
        "Chinese bombers and Russian jets flew joint patrols over the Sea of Japan. | MILITARY_EXERCISE | true",
        "Analysts said the PLA was rehearsing a blockade of the island with dozens of ships. | MILITARY_EXERCISE | true",
        // exercise: trap senses
        "The audit was an exercise in futility, the army chief told reporters. | MILITARY_EXERCISE | false",
        "Soldiers returned on Friday from an exercise in the desert with allied troops. | MILITARY_EXERCISE | true",
        "The summit was an exercise in public relations, the defence minister said of the navy deal. | MILITARY_EXERCISE | false",
        "The military government said the voter registration exercise would end next week. | MILITARY_EXERCISE | false",
        "The junta's political manoeuvring has delayed the election again, the army said. | MILITARY_EXERCISE | false",
        "Security forces exercised emergency powers to detain hundreds of protesters. | MILITARY_EXERCISE | false",
        "The firm's drilling campaign off Cyprus has angered Turkey. | MILITARY_EXERCISE | false",
        "Troops rehearsed for the Independence Day parade on the main avenue. | MILITARY_EXERCISE | false",
        "The drill instructor shouted as recruits arrived at the army camp. | MILITARY_EXERCISE | false",
        "The bank's cyber war games simulated a ransomware attack on its payment systems. | MILITARY_EXERCISE | false",
        // dispatch: wordings of sending and stationing
        "Germany will permanently station a combat brigade in Lithuania. | TROOP_DISPATCH | true",
        "Thousands of troops were rushed to the frontier after the clashes. | TROOP_DISPATCH | true",
        "The president sent in the army to restore order in the capital. | TROOP_DISPATCH | true",
        "Turkey poured military reinforcements into the border province. | TROOP_DISPATCH | true",
        "A 120-strong army contingent flew to Juba on Monday. | TROOP_DISPATCH | true",
        "The US is sending a Marine expeditionary unit and two amphibious ships to the region. | TROOP_DISPATCH | true",
        "The Pentagon ordered the 82nd Airborne Division to the Middle East. | TROOP_DISPATCH | true",
        "The army has stepped up its presence along the Line of Control. | TROOP_DISPATCH | true",
        "Hundreds of US Marines landed in Darwin for their six-month rotation. | TROOP_DISPATCH | true",
        "France shipped out an armoured battalion to Romania last week. | TROOP_DISPATCH | true",
        "Russia moved S-400 missile batteries to Belarus. | TROOP_DISPATCH | true",
        "Navy SEALs were flown in to secure the embassy. | TROOP_DISPATCH | true",
        "The army has been deployed to the border region. | TROOP_DISPATCH | true",
        "Rotational forces from the US arrived in Poland on Tuesday. | TROOP_DISPATCH | true",
        // dispatch: trap senses
        "Rescue personnel were dispatched to the crash site. | TROOP_DISPATCH | false",
        "Marine biologists were sent to the reef to assess the bleaching. | TROOP_DISPATCH | false",
        "The news sent shares tanking on Wall Street. | TROOP_DISPATCH | false",
        "The airline will deploy its fleet of new jets on transatlantic routes. | TROOP_DISPATCH | false",
        "Fire fighters were sent to the burning warehouse. | TROOP_DISPATCH | false",
        "The activists' aid flotilla sailed to Gaza despite warnings. | TROOP_DISPATCH | false",
        "The move comes as soldiers' wages remain unpaid for a third month. | TROOP_DISPATCH | false",
        "The strike forced the airline to send passengers to other carriers. | TROOP_DISPATCH | false",
        "Two soldiers were sent to prison for selling army fuel. | TROOP_DISPATCH | false",
        "A troop of baboons moved into the village, raiding bins. | TROOP_DISPATCH | false",
        "The ministry sent a task force of auditors to the state oil company. | TROOP_DISPATCH | false",
        "The attack on the soldiers sent shockwaves through the country. | TROOP_DISPATCH | false",
        "Party foot soldiers were deployed to knock on doors before the vote. | TROOP_DISPATCH | false",
        "The city sent water tanks to the drought-hit villages. | TROOP_DISPATCH | false",
        "A moving ceremony honoured the soldiers who served in the war. | TROOP_DISPATCH | false",
        "Suicide bombers were sent to attack the market. | TROOP_DISPATCH | false",
        // parade: wordings
        "Thousands watched as the King took the salute at Trooping the Colour in London. | PARADE | true",
        "Tanks and missile launchers rolled through Red Square for Victory Day. | PARADE | true",
        "Soldiers goose-stepped across Kim Il Sung Square as new missiles were shown off. | PARADE | true",
        "Fighter jets roared overhead in a flypast marking National Day. | PARADE | true",
        "The navy held an international fleet review off the eastern coast. | PARADE | true",
        "Troops marched down the Champs-Elysees for Bastille Day. | PARADE | true",
        // parade: trap senses
        "Captured soldiers were paraded in front of cameras by their captors. | PARADE | false",
        "The Pentagon budget was untouched by the Liberation Day tariffs announced in April. | PARADE | false",
        "The champions' victory parade drew huge crowds of fans through the city. | PARADE | false",
        "A parade of ministers defended the army's budget on television. | PARADE | false",
        "Army veterans joined the St Patrick's Day parade in New York. | PARADE | false",
        // second batch, written after the first round of changes, as a check on generalisation
        "Japanese and Philippine troops held their first joint field training on Luzon. | MILITARY_EXERCISE | true",
        "The navy's frigates practised anti-submarine warfare with allied ships this week. | MILITARY_EXERCISE | true",
        "Thousands of reservists took part in mobilisation drills across the country. | MILITARY_EXERCISE | true",
        "US and Saudi air forces flew combined sorties in a training exercise over the Red Sea. | MILITARY_EXERCISE | true",
        "The coach put the squad through fitness drills before the match. | MILITARY_EXERCISE | false",
        "The army said the recruitment exercise drew 40,000 applicants. | MILITARY_EXERCISE | false",
        "Oil companies resumed drilling off the coast after Greece and Turkey agreed a pause. | MILITARY_EXERCISE | false",
        "The navy deployed two destroyers to the Red Sea to escort merchant ships. | TROOP_DISPATCH | true",
        "Canada will send 2,200 soldiers to Latvia to lead the NATO battlegroup. | TROOP_DISPATCH | true",
        "The UK is beefing up its presence in the Gulf with an extra frigate. | TROOP_DISPATCH | true",
        "Hundreds of paratroopers were airlifted to the island after the incursion. | TROOP_DISPATCH | true",
        "Kenyan police officers arrived in Haiti to lead the multinational mission. | TROOP_DISPATCH | false",
        "The software company deployed a task force of engineers to fix the outage. | TROOP_DISPATCH | false",
        "The surge in food prices sent thousands of families to food banks. | TROOP_DISPATCH | false",
        "The fishing fleet was sent back to port as the storm approached. | TROOP_DISPATCH | false",
        "The union sent its strike group of nurses to the ministry. | TROOP_DISPATCH | false",
        "Medical personnel were deployed to the stadium for the final. | TROOP_DISPATCH | false",
        "The defeat sent fans and players home early. | TROOP_DISPATCH | false",
        "Russia staged its annual military parade on Red Square on May 9. | PARADE | true",
        "Helicopters and jets flew over the capital in a flypast for Independence Day. | PARADE | true",
        "Columns of armoured vehicles rumbled past the leader's stand on Army Day. | PARADE | true",
        "The championship-winning team's parade drew a million fans downtown. | PARADE | false",
        "Witnesses paraded through the court as the trial of the general went on. | PARADE | false",
        // troops readied or on standby are not (yet) sent
        "The Pentagon has put 3,000 troops on standby for a possible move to Europe. | TROOP_DISPATCH | false",
        "The army selected two brigades for potential deployment to the region. | TROOP_DISPATCH | false",
        "The army will deploy two brigades to the region next month, officials said. | TROOP_DISPATCH | true",
        // third batch
        "Russia began drills of its tactical nuclear weapons near the Ukrainian border. | MILITARY_EXERCISE | true",
        "Marines staged a mock invasion of a beach in northern Australia. | MILITARY_EXERCISE | true",
        "Pilots from both air forces flew mock dogfights over the desert. | MILITARY_EXERCISE | true",
        "The plant ran a nuclear emergency drill with the fire brigade. | MILITARY_EXERCISE | false",
        "About 5,000 German soldiers will be stationed in Lithuania by 2027. | TROOP_DISPATCH | true",
        "A paratrooper battalion flew into the capital overnight. | TROOP_DISPATCH | true",
        "A veteran of the marines was sent to prison for fraud. | TROOP_DISPATCH | false",
        "The tanks on display at the museum were moved to a new hall. | TROOP_DISPATCH | false",
        "North Korea paraded its largest missiles through Pyongyang to mark the party anniversary. | PARADE | true",
        "The brass band led the Thanksgiving parade past the army recruiting office. | PARADE | false",
        "The verdict will only reinforce the perception that soldiers enjoy impunity. | TROOP_DISPATCH | false",
        "The visit aims to bolster ties between the two countries' armed forces. | TROOP_DISPATCH | false",
      })
  void coverage(final String body, final String category, final boolean present) {
    final Category c = Category.valueOf(category);
    final Set<Category> labels = Set.copyOf(CLASSIFIER.classify("", body).labels());
    if (present) {
      assertThat(labels).as("%s expected in: %s", c, body).contains(c);
    } else {
      assertThat(labels).as("%s not expected in: %s", c, body).doesNotContain(c);
    }
  }
}
