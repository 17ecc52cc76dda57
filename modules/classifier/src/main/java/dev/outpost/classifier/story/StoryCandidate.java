package dev.outpost.classifier.story;

import dev.outpost.classifier.Category;
import dev.outpost.classifier.Classification;
import dev.outpost.classifier.Evidence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One alert, as story matching sees it.
 *
 * @param itemId the item's id
 * @param category the alert's category, by name
 * @param states the states involved, ISO 3166-1 alpha-3, in the order the item first names them
 * @param eventTime when it happened, epoch milliseconds: its publication time, else its arrival
 * @param source who published it
 * @param title its title
 * @param lead the start of its text, {@link #LEAD_CHARS} characters at most, or empty
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
    String lead,
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
   * @param states the states the words name, ISO 3166-1 alpha-3; empty when they name none or
   *     when that is not known
   * @param targets of those, the ones the act is aimed at ({@link Evidence#targets()}); empty
   *     when the words leave it open or when that is not known
   */
  public record Span(String field, int start, int end, String text, String ruleId, List<String> states, List<String> targets) {
    /** Checks the values. */
    public Span {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(ruleId, "ruleId");
      states = states == null ? List.of() : List.copyOf(states);
      targets = targets == null ? List.of() : List.copyOf(targets);
    }

    /**
     * A span whose states and targets are not known, as in alerts written before spans carried
     * them.
     *
     * @param field title or body
     * @param start where it starts in that field
     * @param end where it ends
     * @param text the words
     * @param ruleId the rule that found it
     */
    public Span(final String field, final int start, final int end, final String text, final String ruleId) {
      this(field, start, end, text, ruleId, List.of(), List.of());
    }
  }

  /**
   * The alert one label of a classified item makes, as story matching sees it.
   *
   * @param itemId the item's id
   * @param category one of the item's labels
   * @param classification the item's classification
   * @param eventTime when it happened, epoch milliseconds
   * @param source who published it
   * @param title its title
   * @param text its text; only its lead is kept
   * @param url its link, or null
   * @return the candidate, with the label's evidence and the states in the order the item names
   *     them
   */
  public static StoryCandidate of(
      final String itemId,
      final Category category,
      final Classification classification,
      final long eventTime,
      final String source,
      final String title,
      final String text,
      final String url) {
    final List<Span> spans = new ArrayList<>();
    for (final Evidence e : classification.result(category).evidence()) {
      spans.add(new Span(e.field(), e.start(), e.end(), e.text(), e.ruleId(), e.states(), e.targets()));
    }
    return new StoryCandidate(
        itemId, category.name(), new LinkedHashSet<>(classification.actors()), eventTime, source, title, text, url, classification.language(), spans);
  }

  /**
   * @return the state the item names first, its headline's subject more often than not, or empty
   *     when it names none
   */
  public String primary() {
    return states.isEmpty() ? "" : states.iterator().next();
  }

  /** How much of an item's text story matching reads: its lead. */
  public static final int LEAD_CHARS = 300;

  /**
   * @param text an item's text
   * @return its first {@link #LEAD_CHARS} characters, not cutting a surrogate pair
   */
  public static String lead(final String text) {
    if (text == null) {
      return "";
    }
    if (text.length() <= LEAD_CHARS) {
      return text;
    }
    final int end = Character.isHighSurrogate(text.charAt(LEAD_CHARS - 1)) ? LEAD_CHARS - 1 : LEAD_CHARS;
    return text.substring(0, end);
  }

  /** Copies the collections. */
  public StoryCandidate {
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(category, "category");
    states = Collections.unmodifiableSet(new LinkedHashSet<>(states));
    source = source == null ? "" : source;
    title = title == null ? "" : title;
    lead = lead == null ? "" : lead(lead);
    language = language == null ? "und" : language;
    evidence = List.copyOf(evidence);
  }
}
