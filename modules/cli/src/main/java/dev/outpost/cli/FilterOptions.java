package dev.outpost.cli;

import dev.outpost.model.Category;
import dev.outpost.subscribers.AlertFilter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The alert filter, as {@code subscribe} and {@code subscriptions add} take it. */
public final class FilterOptions {

  @Option(
      names = "--category",
      paramLabel = "CATEGORY",
      description = "Only this category (military_exercise, troop_dispatch, parade, diplomatic_tension); repeatable.")
  private List<String> categories = new ArrayList<>();

  @Option(
      names = "--actor",
      paramLabel = "CODE[,CODE...]",
      split = ",",
      description = "Only alerts naming one of these states (ISO 3166-1 alpha-3, e.g. CHN,RUS).")
  private List<String> actors = new ArrayList<>();

  @Option(
      names = "--min-confidence",
      paramLabel = "P",
      defaultValue = "0",
      description = "Only alerts with at least this confidence, 0 to 1. Default: ${DEFAULT-VALUE}.")
  private double minConfidence;

  @Option(
      names = "--keyword",
      paramLabel = "TEXT",
      description = "Only alerts whose title or evidence contains this text (case-insensitive); repeatable, any of them.")
  private List<String> keywords = new ArrayList<>();

  @Option(
      names = "--per-story",
      description =
          "One alert per story: the one that started it, then one as the story reaches 5, 10, 25, 50, 100, 250, 500"
              + " and 1000 alerts, and every 1000 after that. Alerts without a story (from before stories, or a"
              + " pipeline running without them) all pass. Default: every alert.")
  private boolean perStory;

  /**
   * @return the filter
   * @throws UserException naming the part that is wrong
   */
  AlertFilter filter() {
    try {
      final Set<Category> wanted = EnumSet.noneOf(Category.class);
      for (final String c : categories) {
        wanted.add(AlertFilter.category(c));
      }
      return new AlertFilter(wanted, Set.copyOf(actors), minConfidence, keywords, perStory);
    } catch (final IllegalArgumentException e) {
      throw new UserException("Invalid filter: " + e.getMessage(), e);
    }
  }
}
