package dev.outpost.bench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.model.NewsItem;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the end-to-end benchmark publishes. What stories cost depends on how many items the
 * classifier labels, since only alerts reach the story step; so the benchmark can run on either of
 * two corpora:
 *
 * <ul>
 *   <li>{@link #feeds}: whole items of real general-news feeds, every item a feed gave kept, so
 *       the share of labelled items is what a subscriber to such feeds sees (a few percent);
 *   <li>{@link #samples}: items assembled from the bundled samples, which were chosen for their
 *       labels, so nearly every item is labelled, several times over: the story step's worst case.
 * </ul>
 *
 * <p>Item {@code n} is always the same item, and the items come round every {@link #period()}
 * numbers.
 */
public interface BenchmarkCorpus {

  /** Where {@link #feeds} reads its items on the classpath. */
  String FEEDS_RESOURCE = "dev/outpost/bench/feeds/tune.jsonl";

  /**
   * @param prefix the id's prefix
   * @param n the item's number
   * @param published its publication time, also its ingestion time
   * @return item {@code <prefix>-<n>}
   */
  NewsItem item(String prefix, int n, Instant published);

  /** @return after how many numbers {@link #item} gives the same text again */
  int period();

  /** @return for the report, such as "whole items of real news feeds (3,740 items, 45 outlets)" */
  String describe();

  /**
   * @param excerpts real news excerpts as (title, body) pairs, at least one
   * @return items of 1-3 KB, as {@link BenchmarkItems#item} assembles them
   */
  static BenchmarkCorpus samples(final List<String[]> excerpts) {
    final List<String[]> copy = List.copyOf(excerpts);
    final int period = BenchmarkItems.period(copy);
    return new BenchmarkCorpus() {
      @Override
      public NewsItem item(final String prefix, final int n, final Instant published) {
        return BenchmarkItems.item(copy, prefix, n, published);
      }

      @Override
      public int period() {
        return period;
      }

      @Override
      public String describe() {
        return "1-3 KB items assembled from the bundled samples";
      }
    };
  }

  /**
   * @param entries whole feed items, at least one
   * @return them in turn, each under its own outlet, title, text and language
   */
  static BenchmarkCorpus feeds(final List<FeedEntry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("no feed items");
    }
    final List<FeedEntry> copy = List.copyOf(entries);
    final long outlets = copy.stream().map(FeedEntry::outlet).distinct().count();
    return new BenchmarkCorpus() {
      @Override
      public NewsItem item(final String prefix, final int n, final Instant published) {
        final FeedEntry e = copy.get(n % copy.size());
        return NewsItem.newBuilder()
            .setId(prefix + "-" + n)
            .setSource(e.outlet())
            .setTitle(e.title())
            .setBody(e.text())
            .setLanguage(e.language())
            .setPublishedAt(published)
            .setIngestedAt(published)
            .build();
      }

      @Override
      public int period() {
        return copy.size();
      }

      @Override
      public String describe() {
        return String.format(Locale.ROOT, "whole items of real news feeds (%,d items, %,d outlets)", copy.size(), outlets);
      }
    };
  }

  /** The names {@link #named} knows, the default first. */
  List<String> NAMES = List.of("feeds", "samples");

  /**
   * The corpus {@code outpost bench --corpus} names, for the pipeline's runs and the replay's
   * alike, so that their figures describe the same items.
   *
   * @param name {@code feeds} or {@code samples}
   * @param loader the class loader whose classpath holds {@link #FEEDS_RESOURCE}
   * @param excerpts the bundled samples' excerpts, as (title, body) pairs
   * @return {@link #feeds} of the bundled feed items, or {@link #samples} of the excerpts
   * @throws IllegalArgumentException when the name is neither
   */
  static BenchmarkCorpus named(final String name, final ClassLoader loader, final List<String[]> excerpts) {
    return switch (name) {
      case "feeds" -> feeds(feedEntries(loader, FEEDS_RESOURCE));
      case "samples" -> samples(excerpts);
      default -> throw new IllegalArgumentException("no corpus '" + name + "': use feeds or samples");
    };
  }

  /**
   * One item of a real feed.
   *
   * @param outlet who published it
   * @param title its title
   * @param text its text, maybe empty
   * @param language its language, ISO 639-1, or "und"
   */
  record FeedEntry(String outlet, String title, String text, String language) {}

  /**
   * Reads feed items from JSON Lines on the classpath: one object a line with {@code outlet},
   * {@code title}, {@code text} and {@code language}, as the classifier's stream development set
   * has them.
   *
   * @param loader the class loader whose classpath holds the resource
   * @param resource the resource
   * @return its items in the order of the lines
   * @throws IllegalStateException when the resource is missing or holds no item
   * @throws UncheckedIOException when it cannot be read or a line is not JSON
   */
  static List<FeedEntry> feedEntries(final ClassLoader loader, final String resource) {
    final List<FeedEntry> entries = new ArrayList<>();
    for (final JsonNode n :
        BenchmarkItems.jsonLines(loader, resource, "The benchmark's feed items " + resource + " are missing from the jar")) {
      entries.add(
          new FeedEntry(
              n.path("outlet").asText("unknown"), n.path("title").asText(""), n.path("text").asText(""), n.path("language").asText("und")));
    }
    if (entries.isEmpty()) {
      throw new IllegalStateException("The benchmark's feed items " + resource + " hold no item");
    }
    return entries;
  }
}
