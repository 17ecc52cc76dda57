package dev.outpost.classifier.story;

import com.ibm.icu.text.Transliterator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ICU's Traditional-Simplified transliteration, read from ICU's own rules into a table.
 *
 * <p>ICU's rule-based transliterator tries its rules at each position in turn and took
 * milliseconds for a few hundred Han characters. Its rules are all literal: a run of characters
 * becomes another, with no context, classes or variables. At each position the first rule in
 * order whose text matches applies, and the cursor moves past it; where none does, the position
 * moves on by one code point. Since no rule's text is a prefix of a later rule's text (ICU's
 * compiler rejects a rule that a former one masks, and {@link #of} checks it again), the first
 * rule that matches is the one with the longest text, which is what {@link #simplify} applies,
 * with a hash lookup per candidate length. When the rules read are not all of that plain form,
 * {@link #of} returns null and ICU's transliterator is used as before.
 */
final class HanSimplifier {

  /** Each rule's source text, and what it becomes. */
  private final Map<String, String> rules;

  /** By the first character of some rule's text: bit n is set when such a text has n characters. */
  private final Map<Character, Long> lengths;

  private HanSimplifier(final Map<String, String> rules, final Map<Character, Long> lengths) {
    this.rules = rules;
    this.lengths = lengths;
  }

  /**
   * @param transliterator ICU's Traditional-Simplified transliterator
   * @return its rules as a table, or null when they are not all plain rules this table can apply
   *     as ICU does
   */
  static HanSimplifier of(final Transliterator transliterator) {
    if (transliterator.getFilter() != null || transliterator.getElements().length != 1) {
      return null;
    }
    final Map<String, String> rules = new HashMap<>();
    final Map<String, Integer> order = new HashMap<>();
    final Map<Character, Long> lengths = new HashMap<>();
    int index = 0;
    for (final String line : transliterator.toRules(true).split("\n", -1)) {
      final String rule = line.strip();
      if (rule.isEmpty()) {
        continue;
      }
      final int arrow = rule.indexOf(" > ");
      if (arrow < 0 || !rule.endsWith(";")) {
        return null;
      }
      final String from = literal(rule.substring(0, arrow).strip());
      final String to = literal(rule.substring(arrow + 3, rule.length() - 1).strip());
      if (from == null || to == null || from.isEmpty() || from.length() > 63) {
        return null;
      }
      // A repeated text: the first rule wins at ICU, and here.
      if (rules.putIfAbsent(from, to) == null) {
        order.put(from, index);
        lengths.merge(from.charAt(0), 1L << from.length(), (a, b) -> a | b);
      }
      index++;
    }
    // A rule masked by an earlier one (its text starting with the earlier text) would make the
    // first match differ from the longest.
    for (final Map.Entry<String, Integer> e : order.entrySet()) {
      final String text = e.getKey();
      for (int n = 1; n < text.length(); n++) {
        final Integer prefix = order.get(text.substring(0, n));
        if (prefix != null && prefix < e.getValue()) {
          return null;
        }
      }
    }
    return rules.isEmpty() ? null : new HanSimplifier(rules, lengths);
  }

  /**
   * Reads a run of {@code \}{@code uXXXX} escapes and plain letters, or null for anything else
   * (a class, a variable, a context, a cursor, a quote).
   */
  private static String literal(final String text) {
    final StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      final char c = text.charAt(i);
      if (c == '\\') {
        if (i + 6 > text.length() || text.charAt(i + 1) != 'u') {
          return null;
        }
        final String hex = text.substring(i + 2, i + 6);
        for (int k = 0; k < hex.length(); k++) {
          if (Character.digit(hex.charAt(k), 16) < 0) {
            return null;
          }
        }
        out.append((char) Integer.parseInt(hex, 16));
        i += 6;
      } else if (Character.isLetter(c) && c > 0x7F) {
        out.append(c);
        i++;
      } else {
        return null;
      }
    }
    return out.toString();
  }

  /**
   * @param text any text
   * @return it as ICU's Traditional-Simplified transliterator gives it
   */
  String simplify(final String text) {
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    while (i < text.length()) {
      final Long mask = lengths.get(text.charAt(i));
      String match = null;
      int length = 0;
      if (mask != null) {
        for (int n = Math.min(63, text.length() - i); n >= 1 && match == null; n--) {
          if ((mask & (1L << n)) != 0) {
            match = rules.get(text.substring(i, i + n));
            length = n;
          }
        }
      }
      if (match == null) {
        i += Character.charCount(text.codePointAt(i));
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, copied, i).append(match);
      i += length;
      copied = i;
    }
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }

  /** @return the number of rules read, for tests */
  int size() {
    return rules.size();
  }

  /** @return every rule's source text, for tests */
  List<String> texts() {
    return List.copyOf(rules.keySet());
  }
}
