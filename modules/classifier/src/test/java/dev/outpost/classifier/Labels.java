package dev.outpost.classifier;

import java.util.Set;

/** The labels the built-in rules give an item: the one look-up the rule test classes share. */
final class Labels {

  /** Loaded once for every test class that asks. */
  static final Classifier CLASSIFIER = Classifier.withDefaultRules();

  private Labels() {}

  /**
   * @param title the item's title; null for none
   * @param body the item's body; null for none
   * @return the categories the item gets
   */
  static Set<Category> of(final String title, final String body) {
    return Set.copyOf(CLASSIFIER.classify(title == null ? "" : title, body == null ? "" : body).labels());
  }
}
