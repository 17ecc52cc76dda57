package dev.outpost.classifier.internal;

import java.util.Arrays;
import java.util.Locale;

/**
 * The tokens of one text field, with their offsets, sentences and clauses, in parallel arrays.
 *
 * <p>A token is a run of letters and digits; apostrophes inside a word stay in it, and a trailing
 * possessive {@code 's} is dropped from its match keys. Hyphens split tokens, so "live-fire" and
 * "live fire" match alike. A sentence ends at {@code . ! ?} followed by a capital or a digit,
 * unless the word before is an abbreviation or a single letter ("N. Korea", "U.S. troops"), and at
 * a line break after sentence punctuation or at a blank line. A clause ends at {@code , ; : ( )}
 * and dashes, so negation does not reach across them.
 *
 * <p>One pass over the characters: linear time, whatever the input.
 */
public final class Tokens {

  /** Tokens longer than this are matched on their first characters only: nothing in the rules is longer. */
  static final int MAX_TOKEN_CHARS = 48;

  private int size;
  private int[] start = new int[64];
  private int[] end = new int[64];
  private int[] sentence = new int[64];
  private int[] clause = new int[64];
  private boolean[] capitalized = new boolean[64];
  private String[] lower = new String[64];
  private String[] stem = new String[64];
  private int sentences;
  private final String text;

  private Tokens(final String text) {
    this.text = text;
  }

  /**
   * @param text the field's text
   * @param abbreviations lower-case words that a period does not end a sentence after
   * @return its tokens
   */
  public static Tokens of(final String text, final java.util.Set<String> abbreviations) {
    return of(text, abbreviations, java.util.Set.of());
  }

  /**
   * @param text the field's text
   * @param abbreviations lower-case words that a period does not end a sentence after
   * @param clauseWords lower-case words that start a new clause ("while", "but")
   * @return its tokens
   */
  public static Tokens of(
      final String text,
      final java.util.Set<String> abbreviations,
      final java.util.Set<String> clauseWords) {
    final Tokens t = new Tokens(text);
    t.scan(abbreviations, clauseWords);
    return t;
  }

  private void scan(
      final java.util.Set<String> abbreviations, final java.util.Set<String> clauseWords) {
    final int n = text.length();
    int sentenceId = 0;
    int clauseId = 0;
    // A . ! or ? was seen since the last token; whether it ends the sentence is decided when the
    // next token starts.
    boolean stop = false;
    int newlines = 0;
    int i = 0;
    while (i < n) {
      final int cp = text.codePointAt(i);
      if (Character.isLetterOrDigit(cp)) {
        final int tokenStart = i;
        int j = i + Character.charCount(cp);
        while (j < n) {
          final int c = text.codePointAt(j);
          if (Character.isLetterOrDigit(c)) {
            j += Character.charCount(c);
          } else if ((c == '\'' || c == '\u2019')
              && j + 1 < n
              && Character.isLetter(text.codePointAt(j + 1))) {
            j++;
          } else {
            break;
          }
        }
        final boolean upper = Character.isUpperCase(cp) || Character.isTitleCase(cp);
        if (size > 0) {
          final boolean blankLine = newlines >= 2;
          final boolean stopThenBreak = stop && newlines >= 1;
          final boolean stopThenCapital =
              stop && (upper || Character.isDigit(cp)) && !isAbbreviation(size - 1, abbreviations);
          if (blankLine || stopThenBreak || stopThenCapital) {
            sentenceId++;
            clauseId++;
          }
        }
        stop = false;
        newlines = 0;
        if (!clauseWords.isEmpty()
            && clauseWords.contains(text.substring(tokenStart, j).toLowerCase(Locale.ROOT))) {
          clauseId++;
        }
        add(tokenStart, j, sentenceId, clauseId, upper);
        i = j;
        continue;
      }
      switch (cp) {
        case '.', '!', '?' -> stop = true;
        case ',' -> {
          // "3,000 troops" is one number, not two clauses.
          final boolean inNumber =
              i > 0 && i + 1 < n && Character.isDigit(text.charAt(i - 1)) && Character.isDigit(text.charAt(i + 1));
          if (!inNumber) {
            clauseId++;
          }
        }
        case ';', ':', '(', ')', '[', ']', '\u2013', '\u2014' -> clauseId++;
        case '\n' -> newlines++;
        default -> {
          // Spaces, quotes and other symbols leave the sentence state as it is.
        }
      }
      i += Character.charCount(cp);
    }
    sentences = size == 0 ? 0 : sentenceId + 1;
  }

  private boolean isAbbreviation(final int token, final java.util.Set<String> abbreviations) {
    final int length = end[token] - start[token];
    return length == 1 || abbreviations.contains(lower[token]);
  }

  private void add(final int s, final int e, final int sentenceId, final int clauseId, final boolean upper) {
    if (size == start.length) {
      final int grown = size * 2;
      start = Arrays.copyOf(start, grown);
      end = Arrays.copyOf(end, grown);
      sentence = Arrays.copyOf(sentence, grown);
      clause = Arrays.copyOf(clause, grown);
      capitalized = Arrays.copyOf(capitalized, grown);
      lower = Arrays.copyOf(lower, grown);
      stem = Arrays.copyOf(stem, grown);
    }
    start[size] = s;
    end[size] = e;
    sentence[size] = sentenceId;
    clause[size] = clauseId;
    capitalized[size] = upper;
    String key = text.substring(s, Math.min(e, s + MAX_TOKEN_CHARS)).toLowerCase(Locale.ROOT);
    if (key.length() > 2 && (key.endsWith("'s") || key.endsWith("\u2019s"))) {
      key = key.substring(0, key.length() - 2);
    }
    lower[size] = key;
    stem[size] = Stemmer.stem(key);
    size++;
  }

  /** @return the number of tokens */
  public int size() {
    return size;
  }

  /** @return the number of sentences */
  public int sentences() {
    return sentences;
  }

  /** @param i a token index @return its first character's offset */
  public int start(final int i) {
    return start[i];
  }

  /** @param i a token index @return the offset one past its last character */
  public int end(final int i) {
    return end[i];
  }

  /** @param i a token index @return its sentence, from 0 */
  public int sentence(final int i) {
    return sentence[i];
  }

  /** @param i a token index @return its clause, increasing through the text */
  public int clause(final int i) {
    return clause[i];
  }

  /** @param i a token index @return whether it starts with a capital letter */
  public boolean capitalized(final int i) {
    return capitalized[i];
  }

  /** @param i a token index @return it in lower case, without a possessive 's */
  public String lower(final int i) {
    return lower[i];
  }

  /** @param i a token index @return its stem, the key rule phrases match on */
  public String stem(final int i) {
    return stem[i];
  }

  /** @return the text tokenized */
  public String text() {
    return text;
  }

  /**
   * @param first first token
   * @param last last token, inclusive
   * @return the text they span
   */
  public String span(final int first, final int last) {
    return text.substring(start[first], end[last]);
  }
}
