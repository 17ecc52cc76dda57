package dev.outpost.classifier.internal;

import java.util.Arrays;

/**
 * The stem ids of words the vocabulary does not know, remembered by one thread's reused {@link
 * Tokens}. Most words of an item are unknown to the rules, and the same ones come back item after
 * item ("the", "said", "minister"); stemming each again and probing the vocabulary for its stem is
 * most of what an unknown word costs, above all in languages whose stemmers walk a trie.
 *
 * <p>Open addressing on the word's vocabulary hash, characters kept in one pool. Bounded: when the
 * table is half full or the pool is full, it is emptied and fills again, so a stream of words never
 * seen twice costs one clear per few thousand words and nothing grows. Not thread-safe: one per
 * {@link Tokens}.
 */
final class StemMemo {

  /** What {@link #find} answers for a word it does not hold. */
  static final int MISS = Integer.MIN_VALUE;

  /** Slots in the table, a power of two; at most half of them are used. */
  static final int SLOTS = 8192;

  /** Characters the words held may take, together. */
  static final int POOL_CHARS = 65_536;

  private static final int SHIFT = 32 - Integer.numberOfTrailingZeros(SLOTS);

  private final int[] hashes = new int[SLOTS];
  /** Where each slot's word starts in the pool, plus one; 0 for an empty slot. */
  private final int[] offsets = new int[SLOTS];
  private final byte[] lengths = new byte[SLOTS];
  private final int[] stems = new int[SLOTS];
  private final char[] pool = new char[POOL_CHARS];
  private int used;
  private int entries;
  private long clears;

  /**
   * @param word the lower-case word in {@code word[0, len)}
   * @param len its length, at most {@link Tokens#MAX_TOKEN_CHARS}
   * @param hash its {@link Vocabulary#hash}
   * @return its stem's id as remembered, which may be {@link Vocabulary#UNKNOWN}, or {@link #MISS}
   */
  int find(final char[] word, final int len, final int hash) {
    int slot = hash >>> SHIFT;
    while (true) {
      final int offset = offsets[slot];
      if (offset == 0) {
        return MISS;
      }
      if (hashes[slot] == hash && lengths[slot] == len && same(offset - 1, word, len)) {
        return stems[slot];
      }
      slot = (slot + 1) & (SLOTS - 1);
    }
  }

  /**
   * Remembers a word's stem id; the caller has found it missing.
   *
   * @param word the lower-case word in {@code word[0, len)}
   * @param len its length, at most {@link Tokens#MAX_TOKEN_CHARS}
   * @param hash its {@link Vocabulary#hash}
   * @param stem its stem's id, or {@link Vocabulary#UNKNOWN}
   */
  void put(final char[] word, final int len, final int hash, final int stem) {
    if (entries * 2 >= SLOTS || used + len > POOL_CHARS) {
      clear();
    }
    int slot = hash >>> SHIFT;
    while (offsets[slot] != 0) {
      slot = (slot + 1) & (SLOTS - 1);
    }
    System.arraycopy(word, 0, pool, used, len);
    offsets[slot] = used + 1;
    hashes[slot] = hash;
    lengths[slot] = (byte) len;
    stems[slot] = stem;
    used += len;
    entries++;
  }

  /** @return the number of words held */
  int size() {
    return entries;
  }

  /** @return how many times it was emptied to make room */
  long clears() {
    return clears;
  }

  private void clear() {
    Arrays.fill(offsets, 0);
    used = 0;
    entries = 0;
    clears++;
  }

  private boolean same(final int offset, final char[] word, final int len) {
    for (int i = 0; i < len; i++) {
      if (pool[offset + i] != word[i]) {
        return false;
      }
    }
    return true;
  }
}
