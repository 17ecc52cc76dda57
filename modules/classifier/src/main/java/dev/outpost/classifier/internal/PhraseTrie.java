package dev.outpost.classifier.internal;

import java.util.Arrays;
import java.util.List;

/**
 * Finds every occurrence of a set of phrases in a token sequence. Phrases are sequences of word
 * ids from a {@link Vocabulary}; each phrase carries the ids of the terms it belongs to.
 * Phrases are added into an open-addressing table keyed by (node, word); scans read a compact copy
 * of it, made on the first scan after the last {@link #add}, where a node's transitions lie side by
 * side, sorted by word. Matching walks at most {@link #maxLength()} tokens from each position:
 * linear in the text.
 */
public final class PhraseTrie {

  private static final int[] NONE = new int[0];

  private long[] keys = new long[1024];
  private int[] children = new int[1024];
  private int transitions;
  private int[][] terms = new int[64][];
  private int nodes = 1;
  private int maxLength;

  /**
   * @param words the phrase's word ids, at least one
   * @param term the id of the term it belongs to
   */
  public void add(final List<Integer> words, final int term) {
    if (words.isEmpty()) {
      throw new IllegalArgumentException("A phrase needs at least one word");
    }
    compact = null;
    int node = 0;
    for (final int word : words) {
      int child = child(node, word);
      if (child < 0) {
        child = nodes++;
        if (child == terms.length) {
          terms = Arrays.copyOf(terms, child * 2);
        }
        put(node, word, child);
      }
      node = child;
    }
    final int[] existing = terms[node] == null ? NONE : terms[node];
    for (final int t : existing) {
      if (t == term) {
        return;
      }
    }
    final int[] grown = Arrays.copyOf(existing, existing.length + 1);
    grown[existing.length] = term;
    terms[node] = grown;
    maxLength = Math.max(maxLength, words.size());
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
   * Reports every phrase occurrence that lies within one sentence, ordered by first token.
   *
   * @param tokens the tokens
   * @param byStem match on stems (rules) rather than lower-case words (gazetteer)
   * @param sink receives the matches
   */
  public void scan(final Tokens tokens, final boolean byStem, final MatchSink sink) {
    for (int i = 0; i < tokens.size(); i++) {
      scanAt(tokens, byStem, i, sink);
    }
  }

  /**
   * Reports the phrases that start at one token.
   *
   * @param tokens the tokens
   * @param byStem match on stems rather than lower-case words
   * @param i the first token
   * @param sink receives the matches
   */
  public void scanAt(final Tokens tokens, final boolean byStem, final int i, final MatchSink sink) {
    final int[] words = byStem ? tokens.stemArray() : tokens.lowerArray();
    final int first = words[i];
    final Compact c = compact();
    final int[] roots = c.rootChildren;
    // Most tokens start no phrase: one array read and on.
    if (first < 0 || first >= roots.length || roots[first] < 0) {
      return;
    }
    walk(c, words, tokens, i, roots[first], sink);
  }

  /**
   * Reports every phrase of two tries, one matched on stems and one on lower-case words, at each
   * token in turn, so that a term with phrases in both gets its matches ordered by first token.
   * The same as {@link #scanAt} on each at each token, with the test of whether a token starts a
   * phrase, false for most, made here rather than in a call.
   *
   * @param stems the trie matched on stems
   * @param exact the trie matched on lower-case words
   * @param tokens the tokens
   * @param sink receives the matches
   */
  public static void scanBoth(final PhraseTrie stems, final PhraseTrie exact, final Tokens tokens, final MatchSink sink) {
    final Compact s = stems.compact();
    final Compact e = exact.compact();
    final int[] stemIds = tokens.stemArray();
    final int[] lowerIds = tokens.lowerArray();
    final int[] stemRoots = s.rootChildren;
    final int[] exactRoots = e.rootChildren;
    final int size = tokens.size();
    for (int i = 0; i < size; i++) {
      final int stem = stemIds[i];
      if (stem >= 0 && stem < stemRoots.length && stemRoots[stem] >= 0) {
        stems.walk(s, stemIds, tokens, i, stemRoots[stem], sink);
      }
      final int lower = lowerIds[i];
      if (lower >= 0 && lower < exactRoots.length && exactRoots[lower] >= 0) {
        exact.walk(e, lowerIds, tokens, i, exactRoots[lower], sink);
      }
    }
  }

  /** Reports the phrases that start at token {@code i}, whose first word leads to {@code start}. */
  private void walk(final Compact c, final int[] words, final Tokens tokens, final int i, final int start, final MatchSink sink) {
    final int size = tokens.size();
    final int[] sentences = tokens.sentenceArray();
    int node = start;
    final int sentence = sentences[i];
    final boolean[] later = c.laterWords;
    final int[] termStart = c.termStart;
    final int[] termIds = c.termIds;
    final int[] edgeStart = c.edgeStart;
    for (int j = i; ; ) {
      for (int t = termStart[node], end = termStart[node + 1]; t < end; t++) {
        sink.match(termIds[t], i, j);
      }
      j++;
      final int from = edgeStart[node];
      final int to = edgeStart[node + 1];
      if (j >= size || j - i >= maxLength || sentences[j] != sentence || from == to) {
        break;
      }
      final int word = words[j];
      if (word < 0 || word >= later.length || !later[word]) {
        break;
      }
      node = c.child(from, to, word);
      if (node < 0) {
        break;
      }
    }
  }

  /**
   * The trie as scans read it: each node's transitions side by side, sorted by word, and each
   * node's terms side by side, so a step reads one short run of an array instead of probing a
   * sparse table. Made from the table after the last {@link #add}, on the first scan.
   */
  private static final class Compact {
    /** The root's children by word id: every token starts a lookup there, so it is an array. */
    private final int[] rootChildren;
    /**
     * By word id, whether the word is a phrase's second or later word. Most tokens after a
     * phrase's first word are not, and this small array turns them away before a node's
     * transitions are read.
     */
    private final boolean[] laterWords;
    /** By node, where its transitions start in edgeWord and edgeChild; one more for the end. */
    private final int[] edgeStart;
    private final int[] edgeWord;
    private final int[] edgeChild;
    /** By node, where its terms start in termIds; one more for the end. */
    private final int[] termStart;
    private final int[] termIds;

    Compact(final PhraseTrie t) {
      final int nodes = t.nodes;
      edgeStart = new int[nodes + 1];
      final long[] keys = t.keys;
      for (final long k : keys) {
        if (k != 0) {
          edgeStart[(int) ((k - 1) >>> 32) + 1]++;
        }
      }
      for (int n = 0; n < nodes; n++) {
        edgeStart[n + 1] += edgeStart[n];
      }
      final long[] edges = new long[t.transitions];
      final int[] fill = Arrays.copyOf(edgeStart, nodes);
      for (int s = 0; s < keys.length; s++) {
        if (keys[s] != 0) {
          final int node = (int) ((keys[s] - 1) >>> 32);
          final int word = (int) (keys[s] - 1);
          // Sorted by word within a node (ids are never negative); the child rides in the low bits.
          edges[fill[node]++] = ((long) word << 32) | t.children[s];
        }
      }
      edgeWord = new int[edges.length];
      edgeChild = new int[edges.length];
      for (int n = 0; n < nodes; n++) {
        Arrays.sort(edges, edgeStart[n], edgeStart[n + 1]);
      }
      int maxWord = -1;
      for (int e = 0; e < edges.length; e++) {
        edgeWord[e] = (int) (edges[e] >>> 32);
        edgeChild[e] = (int) edges[e];
        maxWord = Math.max(maxWord, edgeWord[e]);
      }
      // Node 0's transitions are the root's; every other node's lead to a phrase's later words.
      rootChildren = new int[maxWord + 1];
      Arrays.fill(rootChildren, -1);
      laterWords = new boolean[maxWord + 1];
      for (int e = 0; e < edges.length; e++) {
        if (e < edgeStart[1]) {
          rootChildren[edgeWord[e]] = edgeChild[e];
        } else {
          laterWords[edgeWord[e]] = true;
        }
      }
      termStart = new int[nodes + 1];
      int count = 0;
      for (int n = 0; n < nodes; n++) {
        termStart[n] = count;
        count += t.terms[n] == null ? 0 : t.terms[n].length;
      }
      termStart[nodes] = count;
      termIds = new int[count];
      for (int n = 0; n < nodes; n++) {
        if (t.terms[n] != null) {
          System.arraycopy(t.terms[n], 0, termIds, termStart[n], t.terms[n].length);
        }
      }
    }

    /** The child reached from the node whose transitions are [from, to) by a word, or -1. */
    int child(final int from, final int to, final int word) {
      if (to - from <= 8) {
        for (int e = from; e < to; e++) {
          if (edgeWord[e] == word) {
            return edgeChild[e];
          }
        }
        return -1;
      }
      final int at = Arrays.binarySearch(edgeWord, from, to, word);
      return at >= 0 ? edgeChild[at] : -1;
    }
  }

  /** Null once a phrase was added after the last scan. */
  private volatile Compact compact;

  private Compact compact() {
    Compact c = compact;
    if (c == null) {
      synchronized (this) {
        c = compact;
        if (c == null) {
          c = new Compact(this);
          compact = c;
        }
      }
    }
    return c;
  }

  private static long key(final int node, final int word) {
    return ((long) node << 32) | (word & 0xffffffffL);
  }

  private static int slot(final long key, final int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 40) & mask;
  }

  private int child(final int node, final int word) {
    final long key = key(node, word) + 1;
    final int mask = keys.length - 1;
    int slot = slot(key, mask);
    while (keys[slot] != 0) {
      if (keys[slot] == key) {
        return children[slot];
      }
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  private void put(final int node, final int word, final int child) {
    if ((transitions + 1) * 4 > keys.length) {
      final long[] oldKeys = keys;
      final int[] oldChildren = children;
      keys = new long[oldKeys.length * 2];
      children = new int[oldKeys.length * 2];
      for (int k = 0; k < oldKeys.length; k++) {
        if (oldKeys[k] != 0) {
          insert(oldKeys[k], oldChildren[k]);
        }
      }
    }
    insert(key(node, word) + 1, child);
    transitions++;
  }

  private void insert(final long key, final int child) {
    final int mask = keys.length - 1;
    int slot = slot(key, mask);
    while (keys[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    keys[slot] = key;
    children[slot] = child;
  }
}
