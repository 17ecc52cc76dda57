package dev.outpost.topology;

import dev.outpost.classifier.Classification;

/** What the topology asks of a classifier: {@link dev.outpost.classifier.Classifier#classify}. */
@FunctionalInterface
public interface ItemClassifier {

  /**
   * @param title the item's title
   * @param body the item's body
   * @param declaredLanguage the item's {@code language} field, a BCP 47 tag; "und" to have it
   *     identified
   * @return the labels, evidence and actors, and the language the item was read in
   */
  Classification classify(String title, String body, String declaredLanguage);
}
