package dev.outpost.classifier;

/**
 * A span of text that made a rule fire.
 *
 * @param field {@code title} or {@code body}
 * @param start offset of the first character in the field, in UTF-16 code units
 * @param end offset one past the last character
 * @param text the text of the span
 * @param ruleId the rule that fired
 */
public record Evidence(String field, int start, int end, String text, String ruleId) {}
