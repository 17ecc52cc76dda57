package dev.outpost.classifier.internal;

import dev.outpost.classifier.ClassifierException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Names of states, their short names, demonyms, capitals, seats of government, leaders and
 * institutions, each mapped to an ISO 3166-1 alpha-3 code. Loaded from a tab-separated file with
 * columns {@code code type alias flags}; flag {@code cs} matches case-sensitively, flag {@code
 * weak} counts only when the same item names the state by a non-weak alias too. Rows of type
 * {@code exclude} name phrases that contain an alias without naming its state ("Indian Ocean").
 *
 * <p>The longest match wins: "Papua New Guinea" is one mention, not also "Guinea", and an
 * excluded phrase silences the aliases inside it.
 */
public final class Gazetteer {

  private final PhraseTrie trie = new PhraseTrie();
  /** Aliases keyed and matched on stems, for languages that decline names ("Росси*"). */
  private boolean stemmed;
  private final List<Entry> entries = new ArrayList<>();
  private final Set<String> codes = new HashSet<>();

  /**
   * @param code the state, or null for an excluded phrase
   * @param alias the alias as written
   * @param caseSensitive match the alias's capitalisation exactly
   * @param weak only counts alongside a non-weak mention
   * @param demonym whether the alias is an adjective or demonym ("French", "diplomates
   *     azerbaïdjanais") rather than a name, a capital or a leader
   */
  public record Entry(String code, String alias, boolean caseSensitive, boolean weak, boolean demonym) {}

  /** For case-sensitive entries: the alias's words as written; null for the others. */
  private final List<String[]> exactForms = new ArrayList<>();

  private static boolean writtenAs(final Tokens tokens, final int first, final int last, final String[] words) {
    if (last - first + 1 != words.length) {
      return false;
    }
    for (int i = first; i <= last; i++) {
      final String word = words[i - first];
      final int length = tokens.end(i) - tokens.start(i);
      if (length != word.length() || !tokens.text().regionMatches(tokens.start(i), word, 0, length)) {
        return false;
      }
    }
    return true;
  }

  /** A mention found in text. */
  public record Mention(Entry entry, int first, int last) {}

  /**
   * @param tsv the file's content
   * @param name the file's name, for messages
   * @param vocabulary receives the aliases' words
   * @return the gazetteer
   * @throws ClassifierException naming the line that is wrong
   */
  public static Gazetteer parse(final String tsv, final String name, final Vocabulary vocabulary) {
    return parse(tsv, name, vocabulary, false);
  }

  /**
   * @param tsv the file's content
   * @param name the file's name, for messages
   * @param vocabulary receives the aliases' words
   * @param stemmed whether aliases are matched on the vocabulary's stems rather than on exact
   *     lower-case words, for languages whose stems are declared in their rules ("Росси*")
   * @return the gazetteer
   * @throws ClassifierException naming the line that is wrong
   */
  public static Gazetteer parse(final String tsv, final String name, final Vocabulary vocabulary, final boolean stemmed) {
    final Gazetteer g = new Gazetteer();
    g.stemmed = stemmed;
    final String[] lines = tsv.split("\n", -1);
    boolean header = true;
    for (int i = 0; i < lines.length; i++) {
      final String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      final String[] cols = lines[i].split("\t", -1);
      if (header) {
        header = false;
        if (cols[0].strip().equals("code")) {
          continue;
        }
      }
      if (cols.length < 3) {
        throw new ClassifierException(name + ":" + (i + 1) + ": expected code, type, alias and flags separated by tabs");
      }
      final String code = cols[0].strip();
      final boolean exclude = cols[1].strip().equals("exclude");
      if (!code.matches("[A-Z]{3}")) {
        throw new ClassifierException(name + ":" + (i + 1) + ": '" + code + "' is not an ISO 3166-1 alpha-3 code");
      }
      final String flags = cols.length > 3 ? cols[3].strip().toLowerCase(Locale.ROOT) : "";
      String alias = cols[2].strip();
      // "the Kremlin" is found as "Kremlin".
      if (alias.regionMatches(true, 0, "the ", 0, 4)) {
        alias = alias.substring(4);
      }
      final List<String> words = Tokens.words(alias);
      if (words.isEmpty()) {
        throw new ClassifierException(name + ":" + (i + 1) + ": empty alias");
      }
      final List<Integer> keys = new ArrayList<>();
      for (final String word : words) {
        keys.add(vocabulary.add(stemmed ? vocabulary.stemmer().stem(word) : word));
      }
      final Entry entry =
          new Entry(exclude ? null : code, alias, flags.contains("cs"), flags.contains("weak"), cols[1].strip().equals("demonym"));
      g.trie.add(keys, g.entries.size());
      g.entries.add(entry);
      g.exactForms.add(entry.caseSensitive() ? Tokens.rawWords(alias).toArray(String[]::new) : null);
      if (!exclude) {
        g.codes.add(code);
      }
    }
    return g;
  }

  /** @return the distinct codes the gazetteer knows */
  public Set<String> codes() {
    return Set.copyOf(codes);
  }

  /**
   * @param tokens a field's tokens
   * @param out receives every mention, ordered by first token; case-sensitive aliases are checked
   */
  public void find(final Tokens tokens, final List<Mention> out) {
    // The trie reports matches by first token, shorter before longer: keep the longest at each
    // start, and drop any that starts inside one already kept.
    final Mention[] best = {null};
    final int[] coveredUpTo = {-1};
    trie.scan(
        tokens,
        stemmed,
        (term, first, last) -> {
          final Entry entry = entries.get(term);
          if (entry.caseSensitive() && !writtenAs(tokens, first, last, exactForms.get(term))) {
            return;
          }
          final Mention m = new Mention(entry, first, last);
          if (best[0] != null && best[0].first() != first) {
            coveredUpTo[0] = keep(best[0], coveredUpTo[0], out);
            best[0] = null;
          }
          if (best[0] == null || last > best[0].last()) {
            best[0] = m;
          }
        });
    if (best[0] != null) {
      keep(best[0], coveredUpTo[0], out);
    }
  }

  private static int keep(final Mention m, final int coveredUpTo, final List<Mention> out) {
    if (m.first() <= coveredUpTo) {
      return coveredUpTo;
    }
    if (m.entry().code() != null) {
      out.add(m);
    }
    return m.last();
  }
}
