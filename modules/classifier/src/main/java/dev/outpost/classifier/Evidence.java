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
 */
public record Evidence(String field, int start, int end, String text, String ruleId, List<String> states) {

  /** Copies the states. */
  public Evidence {
    states = states == null ? List.of() : List.copyOf(states);
  }

  /**
   * A span naming no state.
   *
   * @param field {@code title} or {@code body}
   * @param start offset of the first character in the field
   * @param end offset one past the last character
   * @param text the text of the span
   * @param ruleId the rule that fired
   */
  public Evidence(final String field, final int start, final int end, final String text, final String ruleId) {
    this(field, start, end, text, ruleId, List.of());
  }
}
