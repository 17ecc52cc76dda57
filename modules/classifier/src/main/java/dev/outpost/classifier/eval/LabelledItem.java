package dev.outpost.classifier.eval;

import dev.outpost.classifier.Category;
import java.util.Set;

/**
 * One item of a labelled set.
 *
 * @param id its id
 * @param source where it was copied from
 * @param title its title
 * @param text its text
 * @param labels the categories it truly belongs to
 * @param language the language its publisher declared, a BCP 47 tag; "und" when the set does not
 *     say
 * @param feed the feed it came from, else its outlet; "" when the set says neither
 */
public record LabelledItem(
    String id, String source, String title, String text, Set<Category> labels, String language, String feed) {

  /** Copies the labels. */
  public LabelledItem {
    labels = Set.copyOf(labels);
    language = language == null || language.isBlank() ? "und" : language;
    feed = feed == null ? "" : feed;
  }

  /**
   * An item whose language and feed are not known.
   *
   * @param id its id
   * @param source where it was copied from
   * @param title its title
   * @param text its text
   * @param labels the categories it truly belongs to
   */
  public LabelledItem(final String id, final String source, final String title, final String text, final Set<Category> labels) {
    this(id, source, title, text, labels, "und", "");
  }
}
