package dev.outpost.classifier.internal;

/**
 * A small, deterministic English suffix stripper. It does not find linguistic roots; it only has to
 * map the inflections of one word to one key ("drills", "drilled", "drilling" and "drill" all to
 * "dril"), and it is applied alike to rule phrases and to text, so rules list a word once.
 *
 * <p>Runs in time linear in the word's length and allocates at most one string.
 */
public final class Stemmer {

  private Stemmer() {}

  /**
   * @param lower a lower-case token
   * @return its stem
   */
  public static String stem(final String lower) {
    int end = lower.length();
    if (end <= 3) {
      return lower;
    }
    // Plural and third person: -ies -> -y, -s (not -ss, -us, -is).
    if (endsWith(lower, end, "ies") && end > 4) {
      return lower.substring(0, end - 3) + "y";
    }
    if (lower.charAt(end - 1) == 's'
        && lower.charAt(end - 2) != 's'
        && lower.charAt(end - 2) != 'u'
        && lower.charAt(end - 2) != 'i') {
      end--;
    }
    // Past tense and gerund, when enough of the word is left.
    if (endsWith(lower, end, "ing") && end - 3 >= 3) {
      end -= 3;
    } else if (endsWith(lower, end, "ed") && end - 2 >= 3) {
      end -= 2;
    }
    // A final silent e: "exercise" and "exercis(ed)" meet.
    if (end > 3 && lower.charAt(end - 1) == 'e') {
      end--;
    }
    // Doubled final consonant: "expelled" -> "expel", "patrolling" -> "patrol".
    if (end > 3
        && lower.charAt(end - 1) == lower.charAt(end - 2)
        && isConsonant(lower.charAt(end - 1))) {
      end--;
    }
    return end == lower.length() ? lower : lower.substring(0, end);
  }

  private static boolean endsWith(final String s, final int end, final String suffix) {
    final int n = suffix.length();
    return end >= n && s.regionMatches(end - n, suffix, 0, n);
  }

  private static boolean isConsonant(final char c) {
    return c >= 'a' && c <= 'z' && "aeiou".indexOf(c) < 0;
  }
}
