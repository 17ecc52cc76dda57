package dev.outpost.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LruCacheTest {

  @Test
  void theLeastRecentlyUsedEntryIsEvictedFirst() {
    final LruCache<String, Integer> cache = new LruCache<>(2);
    cache.put("a", 1);
    cache.put("b", 2);
    cache.get("a");
    cache.put("c", 3);

    // "a" was read after "b" was written, so "b" is the least recently used.
    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("a")).isEqualTo(1);
    assertThat(cache.get("c")).isEqualTo(3);
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void computeIfAbsentLoadsOnlyOnAMiss() {
    final LruCache<String, Integer> cache = new LruCache<>(4);
    final AtomicInteger loads = new AtomicInteger();

    final int first = cache.computeIfAbsent("k", k -> loads.incrementAndGet());
    final int second = cache.computeIfAbsent("k", k -> loads.incrementAndGet());

    assertThat(first).isEqualTo(1);
    assertThat(second).isEqualTo(1);
    assertThat(loads).hasValue(1);
  }

  @Test
  void clearEmptiesIt() {
    final LruCache<String, Integer> cache = new LruCache<>(4);
    cache.put("a", 1);

    cache.clear();

    assertThat(cache.size()).isZero();
    assertThat(cache.get("a")).isNull();
  }

  @Test
  void aCapacityBelowOneIsRefused() {
    assertThatThrownBy(() -> new LruCache<String, String>(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }
}
