package dev.outpost.classifier;

import java.util.List;

/**
 * The verdict on one category.
 *
 * @param category the category
 * @param applies whether the item gets this label
 * @param confidence in [0, 1]; the label applies at or above the rules' threshold
 * @param evidence the spans that raised the confidence, in text order; empty when none
 */
public record CategoryResult(
    Category category, boolean applies, double confidence, List<Evidence> evidence) {

  /** Copies the evidence list. */
  public CategoryResult {
    evidence = List.copyOf(evidence);
  }
}
