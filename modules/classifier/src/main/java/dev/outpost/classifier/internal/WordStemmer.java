package dev.outpost.classifier.internal;

/**
 * Maps the inflections of one word to one key, applied alike to rule phrases and to text. Works in
 * place on a lower-case character buffer, without allocating: it runs on every token.
 */
@FunctionalInterface
public interface WordStemmer {

  /**
   * Stems the lower-case word in {@code buf[0, length)} in place.
   *
   * @param buf the word; may be changed
   * @param length its length
   * @return the stem's length
   */
  int stem(char[] buf, int length);

  /**
   * @param lower a lower-case word
   * @return its stem
   */
  default String stem(final String lower) {
    final char[] buf = lower.toCharArray();
    return new String(buf, 0, stem(buf, buf.length));
  }

  /** The English suffix stripper. */
  WordStemmer ENGLISH = Stemmer::stem;
}
