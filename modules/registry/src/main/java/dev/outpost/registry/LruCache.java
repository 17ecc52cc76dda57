package dev.outpost.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A bounded, thread-safe map that drops its least recently used entry when full. The registry
 * clients and the serdes keep their schema and id caches in it, so a long-running process never
 * grows without bound however many schemas it meets.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class LruCache<K, V> {

  private final int capacity;
  private final Map<K, V> entries;

  /**
   * @param capacity the most entries kept; at least 1
   * @throws IllegalArgumentException if capacity is less than 1
   */
  public LruCache(final int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("LRU cache capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    // Access order, so get() refreshes an entry and the eldest is the least recently used.
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(final Map.Entry<K, V> eldest) {
            return size() > LruCache.this.capacity;
          }
        };
  }

  /**
   * @param key the key
   * @return the cached value, or null when there is none
   */
  public synchronized V get(final K key) {
    return entries.get(key);
  }

  /**
   * Caches a value, evicting the least recently used entry if the cache is full.
   *
   * @param key the key
   * @param value the value; not null
   */
  public synchronized void put(final K key, final V value) {
    entries.put(key, value);
  }

  /**
   * Returns the cached value, or computes, caches and returns it. The computation runs outside the
   * lock, so a slow one (an HTTP call) does not block readers of other keys; two threads missing
   * the same key at once may both compute it, and the later result wins.
   *
   * @param key the key
   * @param loader computes the value on a miss; must not return null
   * @return the cached or computed value
   */
  public V computeIfAbsent(final K key, final Function<? super K, ? extends V> loader) {
    final V cached = get(key);
    if (cached != null) {
      return cached;
    }
    final V loaded = loader.apply(key);
    put(key, loaded);
    return loaded;
  }

  /**
   * @return how many entries are cached
   */
  public synchronized int size() {
    return entries.size();
  }

  /**
   * @return the most entries kept
   */
  public int capacity() {
    return capacity;
  }

  /** Drops every entry. */
  public synchronized void clear() {
    entries.clear();
  }
}
