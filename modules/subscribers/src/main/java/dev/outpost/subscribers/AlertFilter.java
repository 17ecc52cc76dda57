package dev.outpost.subscribers;

import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.EvidenceSpan;
import dev.outpost.model.Topics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which alerts a subscriber wants. Every part that is given must match: one of the categories,
 * one of the actors, at least the confidence, one of the keywords (in the title or the evidence,
 * case-insensitive), and, per story, only the alerts {@link StoryMilestones} delivers. An empty
 * part matches everything.
 *
 * <p>Each alert is judged on its own, per story too: a story's first alert that fails another
 * part (its title lacks the keyword) is not made up for by the next alert of the story that
 * passes; the subscriber hears of the story at its next milestone that does.
 *
 * @param categories wanted categories; empty for all
 * @param actors wanted states as ISO 3166-1 alpha-3 codes; empty for any
 * @param minConfidence the lowest confidence wanted, in [0, 1]
 * @param keywords words or phrases one of which must appear; empty for any
 * @param perStory true for one alert per story and milestone ({@link StoryMilestones}); false for
 *     every alert
 */
public record AlertFilter(
    Set<Category> categories,
    Set<String> actors,
    double minConfidence,
    List<String> keywords,
    boolean perStory) {

  /** A filter that lets every alert through. */
  public static final AlertFilter ALL = new AlertFilter(Set.of(), Set.of(), 0.0, List.of());

  /**
   * Checks every part, so that a bad filter is refused when it is made, not when an alert meets it.
   *
   * @throws IllegalArgumentException naming the part that is wrong and what it takes
   */
  public AlertFilter {
    categories = categories.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(categories));
    final Set<String> codes = new TreeSet<>();
    for (final String actor : actors) {
      final String code = actor.trim().toUpperCase(Locale.ROOT);
      if (!code.matches("[A-Z]{3}")) {
        throw new IllegalArgumentException(
            "actor '" + actor + "' is not an ISO 3166-1 alpha-3 code such as CHN or RUS");
      }
      codes.add(code);
    }
    actors = Set.copyOf(codes);
    if (Double.isNaN(minConfidence) || minConfidence < 0.0 || minConfidence > 1.0) {
      throw new IllegalArgumentException("min confidence " + minConfidence + " is not between 0 and 1");
    }
    final List<String> words = new ArrayList<>();
    for (final String keyword : keywords) {
      if (keyword == null || keyword.isBlank()) {
        throw new IllegalArgumentException("a keyword is empty");
      }
      words.add(keyword.trim().toLowerCase(Locale.ROOT));
    }
    keywords = List.copyOf(words);
  }

  /**
   * A filter that wants every alert of a story, as filters did before stories.
   *
   * @param categories wanted categories; empty for all
   * @param actors wanted states as ISO 3166-1 alpha-3 codes; empty for any
   * @param minConfidence the lowest confidence wanted, in [0, 1]
   * @param keywords words or phrases one of which must appear; empty for any
   * @throws IllegalArgumentException naming the part that is wrong and what it takes
   */
  public AlertFilter(
      final Set<Category> categories, final Set<String> actors, final double minConfidence, final List<String> keywords) {
    this(categories, actors, minConfidence, keywords, false);
  }

  /**
   * @param perStory true for one alert per story and milestone; false for every alert
   * @return this filter with that choice
   */
  public AlertFilter withPerStory(final boolean perStory) {
    return new AlertFilter(categories, actors, minConfidence, keywords, perStory);
  }

  /**
   * @param label a category as users write it: {@code troop_dispatch}, {@code troop-dispatch} or
   *     {@code TROOP_DISPATCH}
   * @return the category
   * @throws IllegalArgumentException listing the known categories
   */
  public static Category category(final String label) {
    final String name = label.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (final Category c : Category.values()) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown category '"
            + label
            + "'; use one of "
            + Arrays.stream(Category.values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
  }

  /**
   * @param alert an alert
   * @return whether this filter wants it
   */
  public boolean matches(final Alert alert) {
    if (perStory && !StoryMilestones.delivers(alert)) {
      return false;
    }
    if (!categories.isEmpty() && !categories.contains(alert.getCategory())) {
      return false;
    }
    if (alert.getConfidence() < minConfidence) {
      return false;
    }
    if (!actors.isEmpty() && alert.getActors().stream().noneMatch(actors::contains)) {
      return false;
    }
    if (keywords.isEmpty()) {
      return true;
    }
    final StringBuilder text = new StringBuilder(alert.getTitle());
    for (final EvidenceSpan span : alert.getEvidence()) {
      text.append('\n').append(span.getText());
    }
    final String haystack = text.toString().toLowerCase(Locale.ROOT);
    return keywords.stream().anyMatch(haystack::contains);
  }

  /** @return the live alert topics this filter needs, in category order */
  public List<String> topics() {
    return topicsIn(null);
  }

  /**
   * @param namespace a replay's namespace, or null for the live topics
   * @return the alert topics of that namespace this filter needs, in category order
   */
  public List<String> topicsIn(final String namespace) {
    final List<String> topics = new ArrayList<>();
    for (final Category c : Category.values()) {
      if (categories.isEmpty() || categories.contains(c)) {
        topics.add(Topics.in(namespace, Topics.alertTopicFor(c)).name());
      }
    }
    return topics;
  }
}
