package dev.outpost.classifier.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Finds every occurrence of a set of phrases in a token sequence. Phrases are sequences of keys
 * (stems or lower-case words); each phrase carries the ids of the terms it belongs to. Matching
 * walks at most {@link #maxLength()} tokens from each position, so it is linear in the text.
 */
public final class PhraseTrie {

  private static final int[] NONE = new int[0];

  private final Node root = new Node();
  private int maxLength;

  private static final class Node {
    private final Map<String, Node> next = new HashMap<>();
    private int[] terms = NONE;
  }

  /**
   * @param keys the phrase's keys, at least one
   * @param term the id of the term it belongs to
   */
  public void add(final List<String> keys, final int term) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("A phrase needs at least one word");
    }
    Node node = root;
    for (final String key : keys) {
      node = node.next.computeIfAbsent(key, k -> new Node());
    }
    for (final int t : node.terms) {
      if (t == term) {
        return;
      }
    }
    final int[] grown = java.util.Arrays.copyOf(node.terms, node.terms.length + 1);
    grown[node.terms.length] = term;
    node.terms = grown;
    maxLength = Math.max(maxLength, keys.size());
  }

  /** @return the longest phrase, in tokens */
  public int maxLength() {
    return maxLength;
  }

  /** Receives each match. */
  @FunctionalInterface
  public interface MatchSink {
    /**
     * @param term the term id
     * @param first the first token
     * @param last the last token, inclusive
     */
    void match(int term, int first, int last);
  }

  /**
   * Reports every phrase occurrence that lies within one sentence.
   *
   * @param size number of tokens
   * @param key the key of token i
   * @param sentence the sentence of token i
   * @param sink receives the matches, ordered by first token
   */
  public void scan(
      final int size,
      final IntFunction<String> key,
      final java.util.function.IntUnaryOperator sentence,
      final MatchSink sink) {
    for (int i = 0; i < size; i++) {
      Node node = root;
      final int s = sentence.applyAsInt(i);
      for (int j = i; j < size && j - i < maxLength && sentence.applyAsInt(j) == s; j++) {
        node = node.next.get(key.apply(j));
        if (node == null) {
          break;
        }
        for (final int term : node.terms) {
          sink.match(term, i, j);
        }
      }
    }
  }

  /**
   * @return every key the trie knows at its first level, for diagnostics
   */
  public List<String> firstKeys() {
    return new ArrayList<>(root.next.keySet());
  }
}
