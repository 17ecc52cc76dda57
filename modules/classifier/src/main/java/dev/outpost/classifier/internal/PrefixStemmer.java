package dev.outpost.classifier.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A stemmer made from a language's lexicons rather than from its grammar: the rules declare stems
 * by writing a word with a trailing {@code *} ("учени*" for учения, учений, учениях), and a word
 * is reduced to the longest declared stem it starts with, or left whole.
 *
 * <p>Two options serve languages that glue words together. <b>Clitic prefixes</b> (Arabic و, ب,
 * ال ...) are tried off the front of a word that no stem starts; <b>decompounding</b> (German
 * "Großmanöver", "Marinemanövern") looks for a declared stem starting inside a long word, so a
 * compound is keyed by its head. Both only ever produce a declared stem: a word no rule knows is
 * left as it is.
 *
 * <p>Lookups walk a character trie held in flat arrays: no allocation per word.
 */
public final class PrefixStemmer implements WordStemmer {

  /** A compound's head is searched from this offset, so "Manöver" does not match "Ma-növer". */
  private static final int MIN_COMPOUND_MODIFIER = 3;

  // Trie nodes: for node n, its children's characters sorted in keys[first[n] .. first[n+1]) and
  // the child node ids in next[...]; terminal[n] marks the end of a declared stem.
  private final int[] first;
  private final char[] keys;
  private final int[] next;
  private final boolean[] terminal;
  private final char[][] clitics;
  private final boolean decompound;

  /**
   * @param stems the declared stems, lower-case
   * @param cliticPrefixes prefixes tried off the front of a word, lower-case
   * @param decompound whether to look for a declared stem inside long words
   */
  public PrefixStemmer(
      final Collection<String> stems, final Collection<String> cliticPrefixes, final boolean decompound) {
    final List<String> sorted = new ArrayList<>();
    for (final String s : stems) {
      if (!s.isEmpty()) {
        sorted.add(s.toLowerCase(Locale.ROOT));
      }
    }
    sorted.sort(Comparator.naturalOrder());
    // Build a pointer trie, then flatten it breadth-first.
    final List<Node> nodes = new ArrayList<>();
    final Node root = new Node();
    nodes.add(root);
    for (final String s : sorted) {
      Node n = root;
      for (int i = 0; i < s.length(); i++) {
        final char c = s.charAt(i);
        Node child = null;
        for (int k = 0; k < n.chars.size(); k++) {
          if (n.chars.get(k) == c) {
            child = n.children.get(k);
          }
        }
        if (child == null) {
          child = new Node();
          child.id = nodes.size();
          nodes.add(child);
          n.chars.add(c);
          n.children.add(child);
        }
        n = child;
      }
      n.terminal = true;
    }
    first = new int[nodes.size() + 1];
    terminal = new boolean[nodes.size()];
    int edges = 0;
    for (final Node n : nodes) {
      edges += n.chars.size();
    }
    keys = new char[edges];
    next = new int[edges];
    int e = 0;
    for (final Node n : nodes) {
      first[n.id] = e;
      terminal[n.id] = n.terminal;
      final Integer[] order = new Integer[n.chars.size()];
      for (int k = 0; k < order.length; k++) {
        order[k] = k;
      }
      Arrays.sort(order, Comparator.comparing(n.chars::get));
      for (final int k : order) {
        keys[e] = n.chars.get(k);
        next[e] = n.children.get(k).id;
        e++;
      }
    }
    first[nodes.size()] = e;
    final List<String> clitic = new ArrayList<>(cliticPrefixes);
    // Longest first: "وال" is tried before "و".
    clitic.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
    clitics = clitic.stream().map(c -> c.toLowerCase(Locale.ROOT).toCharArray()).toArray(char[][]::new);
    this.decompound = decompound;
  }

  private static final class Node {
    int id;
    boolean terminal;
    final List<Character> chars = new ArrayList<>();
    final List<Node> children = new ArrayList<>();
  }

  /** The length of the longest declared stem that {@code buf[off, off+len)} starts with, or 0. */
  private int longestStem(final char[] buf, final int off, final int len) {
    int node = 0;
    int best = 0;
    for (int i = 0; i < len; i++) {
      node = child(node, buf[off + i]);
      if (node < 0) {
        break;
      }
      if (terminal[node]) {
        best = i + 1;
      }
    }
    return best;
  }

  private int child(final int node, final char c) {
    int lo = first[node];
    int hi = first[node + 1] - 1;
    while (lo <= hi) {
      final int mid = (lo + hi) >>> 1;
      final char k = keys[mid];
      if (k < c) {
        lo = mid + 1;
      } else if (k > c) {
        hi = mid - 1;
      } else {
        return next[mid];
      }
    }
    return -1;
  }

  @Override
  public int stem(final char[] buf, final int length) {
    final int direct = longestStem(buf, 0, length);
    if (direct > 0) {
      return direct;
    }
    for (final char[] clitic : clitics) {
      if (length - clitic.length >= 2 && startsWith(buf, length, clitic)) {
        final int s = longestStem(buf, clitic.length, length - clitic.length);
        if (s > 0) {
          System.arraycopy(buf, clitic.length, buf, 0, s);
          return s;
        }
      }
    }
    if (decompound) {
      for (int from = MIN_COMPOUND_MODIFIER; from < length - 2; from++) {
        final int s = longestStem(buf, from, length - from);
        // A head must be a real word, not a syllable: at least four letters.
        if (s >= 4) {
          System.arraycopy(buf, from, buf, 0, s);
          return s;
        }
      }
    }
    return length;
  }

  private static boolean startsWith(final char[] buf, final int length, final char[] prefix) {
    if (prefix.length > length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (buf[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
