package dev.outpost.classifier.eval;

import dev.outpost.classifier.Category;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Scores a labeller against a labelled set: per-category precision, recall and F1, their macro
 * average, and how often an item that belongs to no category was given one anyway.
 *
 * @param items how many items were scored
 * @param scores per category
 * @param noLabelItems items with no true label
 * @param noLabelFlagged of those, how many got a label
 */
public record Evaluation(int items, Map<Category, Score> scores, int noLabelItems, int noLabelFlagged) {

  /**
   * Counts for one category.
   *
   * @param truePositives labelled and predicted
   * @param falsePositives predicted only
   * @param falseNegatives labelled only
   */
  public record Score(int truePositives, int falsePositives, int falseNegatives) {
    /** @return TP / (TP + FP); 1 when nothing was predicted and nothing was there */
    public double precision() {
      final int predicted = truePositives + falsePositives;
      return predicted == 0 ? (falseNegatives == 0 ? 1.0 : 0.0) : (double) truePositives / predicted;
    }

    /** @return TP / (TP + FN); 1 when there was nothing to find */
    public double recall() {
      final int actual = truePositives + falseNegatives;
      return actual == 0 ? 1.0 : (double) truePositives / actual;
    }

    /** @return the harmonic mean of precision and recall */
    public double f1() {
      final double p = precision();
      final double r = recall();
      return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }
  }

  /**
   * @param items the labelled set
   * @param labeller gives each item's predicted categories
   * @return the scores
   */
  public static Evaluation of(final List<LabelledItem> items, final Function<LabelledItem, Set<Category>> labeller) {
    final Map<Category, int[]> counts = new EnumMap<>(Category.class);
    for (final Category c : Category.values()) {
      counts.put(c, new int[3]);
    }
    int noLabel = 0;
    int flagged = 0;
    for (final LabelledItem item : items) {
      final Set<Category> predicted = labeller.apply(item);
      for (final Category c : Category.values()) {
        final boolean truth = item.labels().contains(c);
        final boolean guess = predicted.contains(c);
        if (truth && guess) {
          counts.get(c)[0]++;
        } else if (guess) {
          counts.get(c)[1]++;
        } else if (truth) {
          counts.get(c)[2]++;
        }
      }
      if (item.labels().isEmpty()) {
        noLabel++;
        if (!predicted.isEmpty()) {
          flagged++;
        }
      }
    }
    final Map<Category, Score> scores = new EnumMap<>(Category.class);
    counts.forEach((c, n) -> scores.put(c, new Score(n[0], n[1], n[2])));
    return new Evaluation(items.size(), Map.copyOf(scores), noLabel, flagged);
  }

  /**
   * Scores each group of the items on its own: per language, per feed.
   *
   * @param items the labelled set
   * @param group names each item's group
   * @param labeller gives each item's predicted categories
   * @return each group's scores, by group name in order
   */
  public static java.util.SortedMap<String, Evaluation> byGroup(
      final List<LabelledItem> items,
      final Function<LabelledItem, String> group,
      final Function<LabelledItem, Set<Category>> labeller) {
    final Map<String, List<LabelledItem>> groups = new java.util.TreeMap<>();
    for (final LabelledItem item : items) {
      groups.computeIfAbsent(group.apply(item), g -> new java.util.ArrayList<>()).add(item);
    }
    final java.util.SortedMap<String, Evaluation> scores = new java.util.TreeMap<>();
    groups.forEach((name, members) -> scores.put(name, of(members, labeller)));
    return scores;
  }

  /**
   * @param category a category
   * @return the share of items that truly belong to it: how often it comes up in a stream with
   *     the set's mix; 0 for an empty set
   */
  public double baseRate(final Category category) {
    final Score s = scores.get(category);
    return items == 0 ? 0 : (double) (s.truePositives() + s.falseNegatives()) / items;
  }

  /**
   * Every category's counts added up: of all the alerts raised, how many were right (precision),
   * and of all the alerts due, how many were raised (recall), each category weighed by how often
   * it comes up, as a subscriber to every alert topic sees it.
   *
   * @return the pooled counts
   */
  public Score pooled() {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    for (final Score s : scores.values()) {
      tp += s.truePositives();
      fp += s.falsePositives();
      fn += s.falseNegatives();
    }
    return new Score(tp, fp, fn);
  }

  /** @return the mean F1 over the four categories */
  public double macroF1() {
    return scores.values().stream().mapToDouble(Score::f1).average().orElse(0);
  }

  /** @return the share of no-label items that got a label; 0 when there were none */
  public double noLabelFlaggedRate() {
    return noLabelItems == 0 ? 0 : (double) noLabelFlagged / noLabelItems;
  }

  /**
   * @param category a category
   * @return its score
   */
  public Score score(final Category category) {
    return scores.get(category);
  }
}
