package dev.outpost.classifier.internal;

import java.util.Arrays;

/**
 * Every word the rules and the gazetteer know, each with an int id. Text tokens are looked up
 * straight from a character buffer, so a token that no rule mentions costs one hash probe and no
 * allocation. Open addressing; built at load time, read-only afterwards.
 */
public final class Vocabulary {

  /** The id of a word the vocabulary does not know. */
  public static final int UNKNOWN = -1;

  /** Flag: a period after this word does not end a sentence ("Gen.", "Sept."). */
  public static final int ABBREVIATION = 1;

  /** Flag: this word starts a new clause ("while", "but"). */
  public static final int CLAUSE_WORD = 2;

  private final WordStemmer stemmer;

  /** A vocabulary whose words are stemmed as English. */
  public Vocabulary() {
    this(WordStemmer.ENGLISH);
  }

  /**
   * @param stemmer how this vocabulary's language reduces a word to its key
   */
  public Vocabulary(final WordStemmer stemmer) {
    this.stemmer = stemmer;
  }

  /** @return how words are stemmed, alike in rules and text */
  public WordStemmer stemmer() {
    return stemmer;
  }

  private String[] words = new String[256];
  private char[][] chars = new char[256][];
  private int[] hashes = new int[256];
  private int[] flags = new int[256];
  private int size;
  private int[] slots = new int[1024];
  /** Slots are chosen by the hash's top bits, the best mixed by the multiplication. */
  private int shift = 32 - 10;

  /**
   * @param word a word
   * @return its id, adding it if new
   */
  public int add(final String word) {
    final int found = find(word.toCharArray(), 0, word.length());
    if (found != UNKNOWN) {
      return found;
    }
    if (size == words.length) {
      words = Arrays.copyOf(words, size * 2);
      chars = Arrays.copyOf(chars, size * 2);
      hashes = Arrays.copyOf(hashes, size * 2);
      flags = Arrays.copyOf(flags, size * 2);
    }
    words[size] = word;
    chars[size] = word.toCharArray();
    hashes[size] = hash(chars[size], 0, word.length());
    final int id = size++;
    // A sparse table: most tokens are unknown words, and a miss ends at the first empty slot.
    if (size * 4 > slots.length) {
      rehash(slots.length * 2);
    } else {
      insert(id);
    }
    return id;
  }

  /**
   * @param word a word
   * @param flag a flag to set on it
   */
  public void flag(final String word, final int flag) {
    // add() may grow the arrays: take the id first, then index the current array.
    final int id = add(word);
    flags[id] |= flag;
  }

  /** stems[id]: the id of the word's stem, or UNKNOWN; rebuilt when words were added since. */
  private volatile int[] stems = new int[0];

  /**
   * The stem of every known word, so a tokenizer stems only the words the vocabulary does not
   * know.
   *
   * @return by word id, the id of its {@link WordStemmer stem}, or {@link #UNKNOWN}; do not modify
   */
  public int[] stems() {
    int[] s = stems;
    if (s.length != size) {
      s = new int[size];
      for (int id = 0; id < s.length; id++) {
        final String stem = stemmer.stem(words[id]);
        s[id] = find(stem.toCharArray(), 0, stem.length());
      }
      stems = s;
    }
    return s;
  }

  /**
   * @param id a word id, or {@link #UNKNOWN}
   * @param flag a flag
   * @return whether the word carries the flag
   */
  public boolean has(final int id, final int flag) {
    return id >= 0 && (flags[id] & flag) != 0;
  }

  /**
   * @param id a word id
   * @return the word
   */
  public String word(final int id) {
    return words[id];
  }

  /**
   * @param buf characters
   * @param off the word's first character
   * @param len its length
   * @return its id, or {@link #UNKNOWN}
   */
  public int find(final char[] buf, final int off, final int len) {
    return find(buf, off, len, hash(buf, off, len));
  }

  /**
   * @param buf characters
   * @param off the word's first character
   * @param len its length
   * @param h its {@link #hash}
   * @return its id, or {@link #UNKNOWN}
   */
  public int find(final char[] buf, final int off, final int len, final int h) {
    final int mask = slots.length - 1;
    int slot = h >>> shift;
    while (true) {
      final int entry = slots[slot];
      if (entry == 0) {
        return UNKNOWN;
      }
      if (hashes[entry - 1] == h) {
        final char[] w = chars[entry - 1];
        if (w.length == len && same(w, buf, off, len)) {
          return entry - 1;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  private static boolean same(final char[] w, final char[] buf, final int off, final int len) {
    for (int i = 0; i < len; i++) {
      if (w[i] != buf[off + i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The hash a word is filed under: {@link #finish} of its polynomial prefix hash, so a tokenizer
   * that keeps prefix hashes gets any prefix's hash for free.
   *
   * @param buf characters
   * @param off first character
   * @param len length
   * @return the hash
   */
  static int hash(final char[] buf, final int off, final int len) {
    int h = 0;
    for (int i = 0; i < len; i++) {
      h = 31 * h + buf[off + i];
    }
    return finish(h, len);
  }

  /**
   * @param polynomial {@code sum(c[i] * 31^(len-1-i))}
   * @param len the word's length
   * @return the hash
   */
  static int finish(final int polynomial, final int len) {
    // Spread the bits: short words differ only in their low bits otherwise.
    int h = (polynomial + len * 0x61C88647) * 0x9E3779B1;
    return h ^ (h >>> 15);
  }

  private void insert(final int id) {
    final int mask = slots.length - 1;
    int slot = hashes[id] >>> shift;
    while (slots[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    slots[slot] = id + 1;
  }

  private void rehash(final int capacity) {
    slots = new int[capacity];
    shift = 32 - Integer.numberOfTrailingZeros(capacity);
    for (int id = 0; id < size; id++) {
      insert(id);
    }
  }
}
