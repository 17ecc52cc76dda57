package dev.outpost.bench.pipeline;

import dev.outpost.model.NewsItem;
import java.time.Instant;
import java.util.List;

/**
 * The items the end-to-end benchmarks publish: each a real title over 1–3 KB of real news
 * excerpts, so the classifier and the serdes see realistic text and sizes, and the same number
 * always gives the same item.
 */
public final class BenchmarkItems {

  private BenchmarkItems() {}

  /**
   * @param excerpts real news excerpts as (title, body) pairs, at least one
   * @param prefix the id's prefix
   * @param n the item's number
   * @param published its publication time, also its ingestion time
   * @return item {@code <prefix>-<n>}: the title of excerpt {@code n}, over its body and more
   *     excerpts until the body is 1, 2 or 3 KB long (by {@code n} modulo 3)
   */
  public static NewsItem item(final List<String[]> excerpts, final String prefix, final int n, final Instant published) {
    final String[] head = excerpts.get(n % excerpts.size());
    final int target = 1024 + (n % 3) * 1024;
    final StringBuilder body = new StringBuilder(head[1]);
    for (int k = 1; body.length() < target; k++) {
      body.append("\n\n").append(excerpts.get((n + 7 * k) % excerpts.size())[1]);
    }
    return NewsItem.newBuilder()
        .setId(prefix + "-" + n)
        .setSource("outpost-bench")
        .setTitle(head[0])
        .setBody(body.toString())
        .setPublishedAt(published)
        .setIngestedAt(published)
        .build();
  }
}
