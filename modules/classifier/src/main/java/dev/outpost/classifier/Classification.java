package dev.outpost.classifier;

import java.util.List;
import java.util.Map;

/**
 * What the classifier says about one item.
 *
 * @param results one result per category, in {@link Category} order
 * @param actors states named in the item, as ISO 3166-1 alpha-3 codes, in order of first mention
 * @param classifierVersion identifies the code and the rules that made this result
 */
public record Classification(
    Map<Category, CategoryResult> results, List<String> actors, String classifierVersion) {

  /** Copies the collections. */
  public Classification {
    results = Map.copyOf(results);
    actors = List.copyOf(actors);
  }

  /**
   * @return the categories that apply, in {@link Category} order
   */
  public List<Category> labels() {
    return java.util.Arrays.stream(Category.values())
        .filter(c -> results.get(c).applies())
        .toList();
  }

  /**
   * @param category a category
   * @return its result
   */
  public CategoryResult result(final Category category) {
    return results.get(category);
  }
}
