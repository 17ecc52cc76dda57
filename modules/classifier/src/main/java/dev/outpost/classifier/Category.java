package dev.outpost.classifier;

import java.util.Locale;
import java.util.Optional;

/**
 * The four categories, defined in the module's README. {@link #label()} is the snake_case name used
 * in rules files, JSON output and the development set.
 */
public enum Category {
  /** Military drills, exercises, war games, manoeuvres and joint patrols by armed forces. */
  MILITARY_EXERCISE,
  /** Sending, deploying or stationing military personnel or units somewhere. */
  TROOP_DISPATCH,
  /** Military parades and reviews. */
  PARADE,
  /** Strained or worsening relations between states. */
  DIPLOMATIC_TENSION;

  /**
   * @return the snake_case name, such as {@code military_exercise}
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param label a snake_case name such as {@code parade}
   * @return the category, if the name is one
   */
  public static Optional<Category> fromLabel(final String label) {
    for (final Category c : values()) {
      if (c.label().equals(label)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
