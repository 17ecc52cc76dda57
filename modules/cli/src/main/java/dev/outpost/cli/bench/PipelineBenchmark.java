package dev.outpost.cli.bench;

import dev.outpost.bench.pipeline.BenchmarkItems;
import dev.outpost.model.NewsItem;
import java.time.Instant;
import java.util.List;

/**
 * What {@link ReplayBenchmark} still takes from the pipeline benchmark, which is now {@link
 * dev.outpost.bench.pipeline.PipelineBenchmark} in modules/bench: the benchmark items. It keeps
 * this name only so that ReplayBenchmark, which another change moves, compiles untouched; delete
 * it once ReplayBenchmark calls {@link BenchmarkItems} itself.
 */
final class PipelineBenchmark {

  private PipelineBenchmark() {}

  /**
   * @param excerpts real news excerpts as (title, body) pairs
   * @param prefix the id's prefix
   * @param n the item's number
   * @param published its publication time
   * @return {@link BenchmarkItems#item}
   */
  static NewsItem item(final List<String[]> excerpts, final String prefix, final int n, final Instant published) {
    return BenchmarkItems.item(excerpts, prefix, n, published);
  }
}
