package dev.outpost.topology;

import dev.outpost.classifier.Classification;

/** What the topology asks of a classifier: {@link dev.outpost.classifier.Classifier#classify}. */
@FunctionalInterface
public interface ItemClassifier {

  /**
   * @param title the item's title
   * @param body the item's body
   * @return the labels, evidence and actors
   */
  Classification classify(String title, String body);
}
