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
 */
public record LabelledItem(String id, String source, String title, String text, Set<Category> labels) {

  /** Copies the labels. */
  public LabelledItem {
    labels = Set.copyOf(labels);
  }
}
