package dev.outpost.ingest;

import dev.outpost.model.NewsItem;
import java.util.List;

/**
 * What an input held: the items to publish, in order, the bad entries with their positions, and
 * how many entries repeated an earlier one's id and were skipped.
 *
 * @param items the good items, each id once
 * @param problems one line per bad entry: where it is and what is wrong
 * @param repeats entries skipped because an earlier entry had the same id
 */
public record ParsedItems(List<NewsItem> items, List<String> problems, int repeats) {

  /** Copies the lists. */
  public ParsedItems {
    items = List.copyOf(items);
    problems = List.copyOf(problems);
  }
}
