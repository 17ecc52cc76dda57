package dev.outpost.classifier.internal;

/**
 * A small, deterministic English suffix stripper. It does not find linguistic roots; it only has to
 * map the inflections of one word to one key ("drills", "drilled", "drilling" and "drill" all to
 * "dril"), and it is applied alike to rule phrases and to text, so rules list a word once.
 *
 * <p>Works in place on a character buffer, in time linear in the word's length, without
 * allocating: it runs on every token of every item.
 */
public final class Stemmer {

  private Stemmer() {}

  /**
   * @param lower a lower-case token
   * @return its stem
   */
  public static String stem(final String lower) {
    final char[] buf = lower.toCharArray();
    return new String(buf, 0, stem(buf, buf.length));
  }

  /**
   * Stems the lower-case word in {@code buf[0, length)} in place.
   *
   * @param buf the word; changed in place
   * @param length its length
   * @return the stem's length
   */
  public static int stem(final char[] buf, final int length) {
    int end = length;
    if (end <= 3) {
      return end;
    }
    // Plural and third person: -ies -> -y, -s (not -ss, -us, -is).
    final char last = buf[end - 1];
    if (last == 's') {
      final char before = buf[end - 2];
      if (end > 4 && before == 'e' && buf[end - 3] == 'i') {
        buf[end - 3] = 'y';
        return end - 2;
      }
      if (before != 's' && before != 'u' && before != 'i') {
        end--;
      }
    }
    // Past tense and gerund, when enough of the word is left.
    if (end >= 6 && buf[end - 1] == 'g' && buf[end - 2] == 'n' && buf[end - 3] == 'i') {
      end -= 3;
    } else if (end >= 5 && buf[end - 1] == 'd' && buf[end - 2] == 'e') {
      end -= 2;
    }
    // A final silent e: "exercise" and "exercis(ed)" meet.
    if (end > 3 && buf[end - 1] == 'e') {
      end--;
    }
    // Doubled final consonant: "expelled" -> "expel", "patrolling" -> "patrol".
    if (end > 3 && buf[end - 1] == buf[end - 2] && isConsonant(buf[end - 1])) {
      end--;
    }
    return end;
  }

  private static boolean isConsonant(final char c) {
    return c >= 'a' && c <= 'z' && c != 'a' && c != 'e' && c != 'i' && c != 'o' && c != 'u';
  }
}
