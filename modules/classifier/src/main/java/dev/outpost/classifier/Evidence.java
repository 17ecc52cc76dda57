package dev.outpost.classifier;

import java.util.List;

/**
 * A span of text that made a rule fire.
 *
 * @param field {@code title} or {@code body}
 * @param start offset of the first character in the field, in UTF-16 code units
 * @param end offset one past the last character
 * @param text the text of the span
 * @param ruleId the rule that fired
 * @param states the states the span's words name, as ISO 3166-1 alpha-3 codes, in the order it
 *     names them: which of the item's states the rule saw ("summons Japan's ambassador": JPN)
 * @param targets the states the act the span reports is aimed at: "expels 18 Russian diplomats"
 *     is aimed at RUS, and so is "Czech Republic expels 18 Russian diplomats", where the state
 *     named by its adjective is the envoys', and "expulse deux diplomates russes", whose adjective
 *     follows the span; a state named as a place ("the embassy in Paris") is not one. Empty when
 *     the rule does not aim, or when the words leave the direction open
 */
public record Evidence(String field, int start, int end, String text, String ruleId, List<String> states, List<String> targets) {

  /** Copies the states and targets. */
  public Evidence {
    states = states == null ? List.of() : List.copyOf(states);
    targets = targets == null ? List.of() : List.copyOf(targets);
  }
}
