package dev.outpost.topology.internal;

/**
 * A Bloom filter of item ids: whether an id may have been seen, never a false "no". The dedupe step
 * asks it before reading its store, since nearly every item is a first delivery and a store read
 * opens an iterator on every segment the window spans.
 *
 * <p>Sixteen bits and four probes per id of its capacity: about one false "maybe" in 400 when full.
 * Ids added past the capacity still answer "maybe" correctly; the filter only gets less useful, and
 * {@link #full} says when to build a larger one. Not thread-safe: one per task.
 */
final class IdFilter {

  /** The fewest ids a filter is sized for: 128 KiB of bits. */
  static final int MIN_CAPACITY = 1 << 16;

  /** The most ids a filter is sized for: 32 MiB of bits. Past it, it fills up but stays correct. */
  static final int MAX_CAPACITY = 1 << 24;

  private static final int BITS_PER_ID = 16;
  private static final int PROBES = 4;

  private final long[] bits;
  private final int mask;
  private final int capacity;
  private int added;

  /**
   * @param expected how many ids it should hold before it is {@link #full}; at least {@link
   *     #MIN_CAPACITY}, rounded up to a power of two
   */
  IdFilter(final int expected) {
    final int wanted = Math.max(MIN_CAPACITY, expected);
    capacity = wanted >= MAX_CAPACITY ? MAX_CAPACITY : Integer.highestOneBit(wanted - 1) << 1;
    final long size = (long) capacity * BITS_PER_ID;
    bits = new long[(int) (size >>> 6)];
    mask = (int) (size - 1);
  }

  /**
   * @param id an item id
   * @return its hash, as {@link #add(long)} and {@link #mightContain(long)} take it
   */
  static long hash(final String id) {
    // FNV-1a over the id's characters, then a final mix so both halves are usable as probes.
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h = (h ^ id.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  /** @param hash an id's {@link #hash} */
  void add(final long hash) {
    final int h1 = (int) hash;
    final int h2 = (int) (hash >>> 32) | 1;
    for (int i = 0; i < PROBES; i++) {
      final int bit = (h1 + i * h2) & mask;
      bits[bit >>> 6] |= 1L << bit;
    }
    added++;
  }

  /**
   * @param hash an id's {@link #hash}
   * @return false when the id was certainly never added
   */
  boolean mightContain(final long hash) {
    final int h1 = (int) hash;
    final int h2 = (int) (hash >>> 32) | 1;
    for (int i = 0; i < PROBES; i++) {
      final int bit = (h1 + i * h2) & mask;
      if ((bits[bit >>> 6] & (1L << bit)) == 0) {
        return false;
      }
    }
    return true;
  }

  /** @return the ids it was sized for */
  int capacity() {
    return capacity;
  }

  /**
   * @return whether more ids were added than it was sized for, and a larger filter could be made
   */
  boolean full() {
    return added > capacity && capacity < MAX_CAPACITY;
  }
}
