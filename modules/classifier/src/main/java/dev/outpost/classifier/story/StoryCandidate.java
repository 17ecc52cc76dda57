package dev.outpost.classifier.story;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One alert, as story matching sees it.
 *
 * @param itemId the item's id
 * @param category the alert's category, by name
 * @param states the states involved, ISO 3166-1 alpha-3
 * @param eventTime when it happened, epoch milliseconds: its publication time, else its arrival
 * @param source who published it
 * @param title its title
 * @param url its link, or null
 * @param language the language it was read in
 * @param evidence the evidence of its label
 */
public record StoryCandidate(
    String itemId,
    String category,
    Set<String> states,
    long eventTime,
    String source,
    String title,
    String url,
    String language,
    List<Span> evidence) {

  /**
   * One piece of evidence, as the classifier gave it.
   *
   * @param field title or body
   * @param start where it starts in that field
   * @param end where it ends
   * @param text the words
   * @param ruleId the rule that found it
   */
  public record Span(String field, int start, int end, String text, String ruleId) {
    /** Checks the values. */
    public Span {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(ruleId, "ruleId");
    }
  }

  /** Copies the collections. */
  public StoryCandidate {
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(category, "category");
    states = Set.copyOf(states);
    source = source == null ? "" : source;
    title = title == null ? "" : title;
    language = language == null ? "und" : language;
    evidence = List.copyOf(evidence);
  }
}
