package dev.outpost.classifier;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the classifier says about one item.
 *
 * @param results one result per category, in {@link Category} order
 * @param actors states named in the item, as ISO 3166-1 alpha-3 codes, in order of first mention
 * @param classifierVersion identifies the code and the rules that made this result
 * @param language the language the item was read in (ISO 639-1), or {@code und} when it could not
 *     be told and the item was read as English
 * @param languageSupported false when the item is in a language Outpost does not classify: then
 *     no category applies, not because none does but because the item was not read
 */
public record Classification(
    Map<Category, CategoryResult> results,
    List<String> actors,
    String classifierVersion,
    String language,
    boolean languageSupported) {

  /** Copies the collections. */
  public Classification {
    // In Category order, whatever map was given: output and equality do not depend on hashing.
    results = results.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new EnumMap<>(results));
    actors = List.copyOf(actors);
  }

  /**
   * An English result, as classifiers before languages made.
   *
   * @param results one result per category
   * @param actors states named
   * @param classifierVersion the classifier's version
   */
  public Classification(final Map<Category, CategoryResult> results, final List<String> actors, final String classifierVersion) {
    this(results, actors, classifierVersion, Classifier.DEFAULT_LANGUAGE, true);
  }

  /**
   * @param language the item's language
   * @param classifierVersion the classifier's version
   * @return the result for an item in a language Outpost does not read: nothing applies
   */
  static Classification unsupported(final String language, final String classifierVersion) {
    final Map<Category, CategoryResult> none = new EnumMap<>(Category.class);
    for (final Category c : Category.values()) {
      none.put(c, new CategoryResult(c, false, 0.0, List.of()));
    }
    return new Classification(none, List.of(), classifierVersion, language, false);
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
