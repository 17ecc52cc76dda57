package dev.outpost.classifier.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tokens of one text field, with their offsets, sentences, clauses and word ids, in parallel
 * arrays.
 *
 * <p>A token is a run of letters and digits; apostrophes inside a word stay in it, and a trailing
 * possessive {@code 's} is dropped from its match keys. The typographic apostrophe (U+2019) is read
 * as the plain one, so "didn’t" and "didn't" are the same word to every rule. Hyphens split tokens, so "live-fire" and
 * "live fire" match alike. A sentence ends at {@code . ! ?} followed by a capital or a digit,
 * unless the word before is an abbreviation or a single letter ("N. Korea", "U.S. troops"), and at
 * a line break after sentence punctuation or at a blank line. A clause ends at {@code , ; : ( )}
 * and dashes, and before clause words such as "while", so negation does not reach across them.
 *
 * <p>Each token gets two ids from the {@link Vocabulary}: of its lower-case form (for the
 * gazetteer) and of its stem (for the rules), or {@link Vocabulary#UNKNOWN}. One pass over the
 * characters, no allocation per token: linear time, whatever the input.
 */
public final class Tokens {

  /** Longer tokens are never looked up: no word the rules know is this long. */
  static final int MAX_TOKEN_CHARS = 48;

  private int size;
  private int[] start;
  private int[] end;
  private int[] sentence;
  private int[] clause;
  private int[] lowerId;
  private int[] stemId;
  private int sentences;
  private String text;
  /** The text's characters in [0, length); a reused buffer may hold stale characters past it. */
  private char[] chars;
  private int length;
  private final Vocabulary vocabulary;
  private final int[] stemOf;
  private final WordStemmer stemmer;
  /** Stems of unknown words seen before; only in reused tokens, which see item after item. */
  private final StemMemo memo;
  private final char[] lowerBuf = new char[MAX_TOKEN_CHARS];
  private final char[] stemBuf = new char[MAX_TOKEN_CHARS];

  private Tokens(final int textLength, final Vocabulary vocabulary, final StemMemo memo) {
    this.chars = new char[textLength];
    // English prose averages a token per five or six characters; start there and grow if needed.
    final int capacity = Math.max(16, textLength / 5);
    start = new int[capacity];
    end = new int[capacity];
    sentence = new int[capacity];
    clause = new int[capacity];
    lowerId = new int[capacity];
    stemId = new int[capacity];
    this.vocabulary = vocabulary;
    this.stemOf = vocabulary.stems();
    this.stemmer = vocabulary.stemmer();
    this.memo = memo;
  }

  /**
   * @param text the field's text
   * @param vocabulary the words to give ids to
   * @return its tokens
   */
  public static Tokens of(final String text, final Vocabulary vocabulary) {
    final Tokens t = new Tokens(text.length(), vocabulary, null);
    t.read(text);
    return t;
  }

  /**
   * Tokens whose buffers {@link #reuse} fills again for each text, so a thread that tokenizes item
   * after item allocates nothing once its buffers have grown to its longest text.
   *
   * @param vocabulary the words to give ids to
   * @return empty tokens, ready for {@link #reuse}
   */
  static Tokens reusable(final Vocabulary vocabulary) {
    return new Tokens(1024, vocabulary, new StemMemo());
  }

  /**
   * Tokenizes another text into these buffers; whatever was read before is gone.
   *
   * @param text the field's text
   * @return these tokens, now of {@code text}
   */
  Tokens reuse(final String text) {
    if (chars.length < text.length()) {
      chars = new char[Math.max(text.length(), chars.length * 2)];
    }
    final int capacity = text.length() / 5;
    if (start.length < capacity) {
      start = new int[capacity];
      end = new int[capacity];
      sentence = new int[capacity];
      clause = new int[capacity];
      lowerId = new int[capacity];
      stemId = new int[capacity];
    }
    read(text);
    return this;
  }

  private void read(final String text) {
    this.text = text;
    this.length = text.length();
    text.getChars(0, length, chars, 0);
    size = 0;
    sentences = 0;
    scan();
  }

  /**
   * The lower-case words of a phrase, split as text is split: how rule phrases and gazetteer
   * aliases become keys.
   *
   * @param phrase a phrase
   * @return its words, lower-case, possessive dropped
   */
  public static List<String> words(final String phrase) {
    final List<String> words = new ArrayList<>();
    final char[] buf = new char[MAX_TOKEN_CHARS];
    final char[] chars = phrase.toCharArray();
    int i = 0;
    final int n = phrase.length();
    while (i < n) {
      final int cp = phrase.codePointAt(i);
      if (Character.isLetterOrDigit(cp)) {
        final int e = tokenEnd(chars, n, i);
        final int len = lower(chars, i, e, buf);
        words.add(len < 0 ? phrase.substring(i, e).toLowerCase(java.util.Locale.ROOT) : new String(buf, 0, len));
        i = e;
      } else {
        i += Character.charCount(cp);
      }
    }
    return words;
  }

  /**
   * The words of a phrase as written, split as text is split: how case-sensitive aliases are
   * compared.
   *
   * @param phrase a phrase
   * @return its words, in their original case
   */
  public static List<String> rawWords(final String phrase) {
    final List<String> words = new ArrayList<>();
    final char[] chars = phrase.toCharArray();
    int i = 0;
    while (i < phrase.length()) {
      final int cp = phrase.codePointAt(i);
      if (Character.isLetterOrDigit(cp)) {
        final int e = tokenEnd(chars, chars.length, i);
        words.add(phrase.substring(i, e));
        i = e;
      } else {
        i += Character.charCount(cp);
      }
    }
    return words;
  }

  /** ASCII letters and digits, for the common case without code point decoding. */
  private static final boolean[] ASCII_WORD = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      ASCII_WORD[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      ASCII_WORD[c] = true;
      ASCII_WORD[c - 32] = true;
    }
  }

  private static boolean isWordStart(final char[] text, final int n, final int i) {
    final char c = text[i];
    if (c < 128) {
      return ASCII_WORD[c];
    }
    return Character.isLetterOrDigit(Character.codePointAt(text, i, n));
  }

  /**
   * Whether a code point belongs to a script written without spaces between words (Han, kana,
   * Hangul): each such character is a token of its own, so phrases match inside unspaced text.
   */
  static boolean isCjk(final int cp) {
    if (cp < 0x1100) {
      return false;
    }
    return cp <= 0x11FF // Hangul Jamo
        || cp >= 0x3040 && cp <= 0x30FF // Hiragana, Katakana
        || cp >= 0x3005 && cp <= 0x3007 // 々 〆 〇
        || cp >= 0x3130 && cp <= 0x318F // Hangul compatibility Jamo
        || cp >= 0x31F0 && cp <= 0x31FF // Katakana extensions
        || cp >= 0x3400 && cp <= 0x4DBF // Han extension A
        || cp >= 0x4E00 && cp <= 0x9FFF // Han
        || cp >= 0xAC00 && cp <= 0xD7AF // Hangul syllables
        || cp >= 0xF900 && cp <= 0xFAFF // Han compatibility
        || cp >= 0xFF66 && cp <= 0xFF9F // half-width Katakana
        || cp >= 0x20000 && cp <= 0x2FFFF; // Han extensions B-F
  }

  /** Arabic vowel marks and the tatweel: written or not, the word is the same. */
  private static boolean isIgnoredMark(final char c) {
    return c >= 0x064B && c <= 0x065F || c == 0x0670 || c == 0x0640;
  }

  /** The end of the token that starts at {@code i}, in {@code text[0, n)}. */
  private static int tokenEnd(final char[] text, final int n, final int i) {
    final int c0 = Character.codePointAt(text, i, n);
    int j = i + Character.charCount(c0);
    if (isCjk(c0)) {
      return j;
    }
    while (j < n) {
      final char ch = text[j];
      if (ch < 128) {
        if (ASCII_WORD[ch]) {
          j++;
          continue;
        }
        if (ch == '\'' && j + 1 < n && Character.isLetter(Character.codePointAt(text, j + 1, n))) {
          j++;
          continue;
        }
        break;
      }
      final int c = Character.codePointAt(text, j, n);
      if (isCjk(c)) {
        break;
      }
      if (Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK) {
        j += Character.charCount(c);
      } else if (c == '\u2019' && j + 1 < n && Character.isLetter(Character.codePointAt(text, j + 1, n))) {
        j++;
      } else {
        break;
      }
    }
    return j;
  }

  /**
   * Lower-cases {@code text[s, e)} into {@code buf}, dropping a possessive 's.
   *
   * @return its length, or -1 when the token is too long to be a known word
   */
  private static int lower(final char[] text, final int s, final int e, final char[] buf) {
    int len = e - s;
    if (len > buf.length) {
      return -1;
    }
    int out = 0;
    for (int k = 0; k < len; k++) {
      final char c = text[s + k];
      if (c < 128) {
        buf[out++] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
      } else if (c == '\u2019') {
        // Inside a token it can only be an apostrophe: "didn’t", "l’armée", "Korea’s".
        buf[out++] = '\'';
      } else if (!isIgnoredMark(c)) {
        buf[out++] = Character.toLowerCase(c);
      }
    }
    len = out;
    // Decomposed text ("i" + combining acute): composed, so it matches what the rules list.
    for (int k = 0; k < len; k++) {
      if (buf[k] >= 0x0300 && buf[k] <= 0x036F) {
        final String composed = java.text.Normalizer.normalize(new String(buf, 0, len), java.text.Normalizer.Form.NFC);
        if (composed.length() <= buf.length) {
          composed.getChars(0, composed.length(), buf, 0);
          len = composed.length();
        }
        break;
      }
    }
    if (len > 2 && buf[len - 1] == 's' && buf[len - 2] == '\'') {
      len -= 2;
    }
    return len;
  }

  /** The length {@link #asciiToken} left in lowerBuf, or -1 for a token too long to look up. */
  private int asciiLen;

  /** The polynomial hash of lowerBuf[0, asciiLen) that {@link #asciiToken} left. */
  private int asciiHash;

  /** ASCII letters and digits mapped to their lower case; 0 for every other ASCII character. */
  private static final char[] ASCII_LOWER = new char[128];

  static {
    for (char c = 0; c < 128; c++) {
      if (ASCII_WORD[c]) {
        ASCII_LOWER[c] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
      }
    }
  }

  /**
   * Scans a token made only of ASCII letters, digits and inner apostrophes, lower-casing it into
   * lowerBuf and hashing it as it goes, with the possessive dropped as {@link #lower} does.
   *
   * <p>Small enough for the JIT to inline into {@link #scan}: the common token, a run of letters
   * ended by a space or punctuation, is done here, and an apostrophe or a non-ASCII character
   * after the run goes on in {@link #asciiTokenTail}.
   *
   * @return the token's end, or -1 if it holds any other character (the caller then takes the
   *     general path)
   */
  private int asciiToken(final char[] text, final int i) {
    final int n = length;
    final char[] buf = lowerBuf;
    final char[] table = ASCII_LOWER;
    int j = i;
    int len = 0;
    int h = 0;
    while (j < n) {
      final char c = text[j];
      final char lc;
      if (c >= 128 || (lc = table[c]) == 0) {
        if (c >= 128 || c == '\'') {
          return asciiTokenTail(text, j, len, h);
        }
        break;
      }
      if (len < MAX_TOKEN_CHARS) {
        buf[len] = lc;
        h = 31 * h + lc;
      }
      len++;
      j++;
    }
    asciiLen = len > MAX_TOKEN_CHARS ? -1 : len;
    asciiHash = h;
    return j;
  }

  /**
   * Goes on with an ASCII token where a character other than a letter, digit or the end stopped
   * it: an apostrophe or a non-ASCII character at {@code j}, with {@code len} characters of hash
   * {@code h} in lowerBuf so far.
   */
  private int asciiTokenTail(final char[] text, final int from, final int lenSoFar, final int hashSoFar) {
    final int n = length;
    final char[] buf = lowerBuf;
    final char[] table = ASCII_LOWER;
    int j = from;
    int len = lenSoFar;
    int h = hashSoFar;
    while (true) {
      while (j < n) {
        final char c = text[j];
        final char lc;
        if (c >= 128 || (lc = table[c]) == 0) {
          break;
        }
        if (len < MAX_TOKEN_CHARS) {
          buf[len] = lc;
          h = 31 * h + lc;
        }
        len++;
        j++;
      }
      if (j >= n) {
        break;
      }
      final char c = text[j];
      if (c >= 128) {
        final int cp = Character.codePointAt(text, j, n);
        // A combining mark belongs to the word (decomposed "Brasília"): the general path takes it.
        if (Character.isLetterOrDigit(cp) || c == '\u2019' || Character.getType(cp) == Character.NON_SPACING_MARK) {
          return -1;
        }
        break;
      }
      // An apostrophe inside a word ("don't", "Korea's") stays in it when a letter follows.
      if (c != '\'' || j + 1 >= n) {
        break;
      }
      final char next = text[j + 1];
      if (next >= 128) {
        if (Character.isLetter(Character.codePointAt(text, j + 1, n))) {
          return -1;
        }
        break;
      }
      if (!(next >= 'a' && next <= 'z' || next >= 'A' && next <= 'Z')) {
        break;
      }
      if (len < MAX_TOKEN_CHARS) {
        buf[len] = c;
        h = 31 * h + c;
      }
      len++;
      j++;
    }
    if (len > MAX_TOKEN_CHARS) {
      asciiLen = -1;
      asciiHash = h;
      return j;
    }
    if (len > 2 && buf[len - 1] == 's' && buf[len - 2] == '\'') {
      len -= 2;
      h = 0;
      for (int k = 0; k < len; k++) {
        h = 31 * h + buf[k];
      }
    }
    asciiLen = len;
    asciiHash = h;
    return j;
  }

  private void scan() {
    final char[] text = this.chars;
    final int n = length;
    int sentenceId = 0;
    int clauseId = 0;
    // A . ! or ? was seen since the last token; whether it ends the sentence is decided when the
    // next token starts.
    boolean stop = false;
    // 。！？ and the Arabic question mark end a sentence whatever follows.
    boolean hardStop = false;
    int newlines = 0;
    int i = 0;
    while (i < n) {
      final char ch = text[i];
      if (isWordStart(text, n, i)) {
        // Pure-ASCII tokens, the common case, are scanned, lower-cased and hashed in one loop;
        // anything else takes the general path below.
        int tokenEnd = ch < 128 ? asciiToken(text, i) : -1;
        int len;
        int lowerWord = Vocabulary.UNKNOWN;
        int lowerHash = 0;
        if (tokenEnd >= 0) {
          len = asciiLen;
          if (len > 0) {
            lowerHash = Vocabulary.finish(asciiHash, len);
            lowerWord = vocabulary.find(lowerBuf, 0, len, lowerHash);
          }
        } else {
          tokenEnd = tokenEnd(text, n, i);
          len = lower(text, i, tokenEnd, lowerBuf);
          if (len > 0) {
            int h = 0;
            for (int k = 0; k < len; k++) {
              h = 31 * h + lowerBuf[k];
            }
            lowerHash = Vocabulary.finish(h, len);
            lowerWord = vocabulary.find(lowerBuf, 0, len, lowerHash);
          }
        }
        if (size > 0 && (stop || hardStop || newlines >= 2)) {
          final boolean blankLine = newlines >= 2;
          final boolean stopThenBreak = stop && newlines >= 1;
          // Scripts without case (Arabic, Han, Hangul) cannot show a capital: any letter will do.
          final int cp = Character.codePointAt(text, i, n);
          final boolean stopThenCapital =
              stop
                  && (Character.isUpperCase(cp) || Character.isTitleCase(cp) || Character.isDigit(cp) || isUncased(cp))
                  && !isAbbreviation(size - 1);
          if (hardStop || blankLine || stopThenBreak || stopThenCapital) {
            sentenceId++;
            clauseId++;
          }
        }
        stop = false;
        hardStop = false;
        newlines = 0;
        if (vocabulary.has(lowerWord, Vocabulary.CLAUSE_WORD)) {
          clauseId++;
        }
        int stemWord = Vocabulary.UNKNOWN;
        if (lowerWord >= 0) {
          // A known word's stem was looked up once, when the vocabulary was built.
          stemWord = stemOf[lowerWord];
        } else if (len > 0 && memo != null) {
          stemWord = memo.find(lowerBuf, len, lowerHash);
          if (stemWord == StemMemo.MISS) {
            stemWord = stemOfUnknown(len, lowerWord);
            memo.put(lowerBuf, len, lowerHash, stemWord);
          }
        } else if (len > 0) {
          stemWord = stemOfUnknown(len, lowerWord);
        }
        add(i, tokenEnd, sentenceId, clauseId, lowerWord, stemWord);
        i = tokenEnd;
        continue;
      }
      switch (ch) {
        case '.', '!', '?' -> stop = true;
        case ',' -> {
          // "3,000 troops" is one number, not two clauses.
          final boolean inNumber =
              i > 0 && i + 1 < n && Character.isDigit(text[i - 1]) && Character.isDigit(text[i + 1]);
          if (!inNumber) {
            clauseId++;
          }
        }
        case ';', ':', '(', ')', '[', ']', '\u2013', '\u2014' -> clauseId++;
        // Ideographic and full-width stops, the Arabic question mark and the Urdu full stop.
        case '\u3002', '\uFF01', '\uFF1F', '\u061F', '\u06D4' -> hardStop = true;
        // A full-width full stop may sit in an abbreviation ("U．S．"): an ordinary stop.
        case '\uFF0E' -> stop = true;
        // Ideographic and full-width commas and colons, Arabic comma and semicolon, CJK brackets.
        case '\u3001', '\uFF0C', '\uFF1B', '\uFF1A', '\u060C', '\u061B', '\uFF08', '\uFF09', '\u300C', '\u300D',
            '\u300E', '\u300F' -> clauseId++;
        case '\n' -> newlines++;
        default -> {
          // Spaces, quotes and other symbols leave the sentence state as it is.
        }
      }
      i += Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(text[i + 1]) ? 2 : 1;
    }
    sentences = size == 0 ? 0 : sentenceId + 1;
  }

  /** The stem id of the unknown word in lowerBuf[0, len), whose lower-case id is lowerWord. */
  private int stemOfUnknown(final int len, final int lowerWord) {
    System.arraycopy(lowerBuf, 0, stemBuf, 0, len);
    final int stemLen = stemmer == WordStemmer.ENGLISH ? Stemmer.stem(stemBuf, len) : stemmer.stem(stemBuf, len);
    return stemLen == len ? lowerWord : vocabulary.find(stemBuf, 0, stemLen);
  }

  private boolean isAbbreviation(final int token) {
    // A single letter before a period is an initial ("N. Korea"), but not a Han or Hangul
    // character, each of which is a token of its own.
    return end[token] - start[token] == 1 && !isCjk(chars[start[token]])
        || vocabulary.has(lowerId[token], Vocabulary.ABBREVIATION);
  }

  private static boolean isUncased(final int cp) {
    return Character.isLetter(cp) && Character.toLowerCase(cp) == cp && Character.toUpperCase(cp) == cp;
  }

  private void add(final int s, final int e, final int sentenceId, final int clauseId, final int lower, final int stem) {
    if (size == start.length) {
      final int grown = size * 2;
      start = Arrays.copyOf(start, grown);
      end = Arrays.copyOf(end, grown);
      sentence = Arrays.copyOf(sentence, grown);
      clause = Arrays.copyOf(clause, grown);
      lowerId = Arrays.copyOf(lowerId, grown);
      stemId = Arrays.copyOf(stemId, grown);
    }
    start[size] = s;
    end[size] = e;
    sentence[size] = sentenceId;
    clause[size] = clauseId;
    lowerId[size] = lower;
    stemId[size] = stem;
    size++;
  }

  /** @return sentence ids by token, for tight loops in this package; do not modify */
  int[] sentenceArray() {
    return sentence;
  }

  /** @return stem ids by token, for tight loops in this package; do not modify */
  int[] stemArray() {
    return stemId;
  }

  /** @return lower-case word ids by token, for tight loops in this package; do not modify */
  int[] lowerArray() {
    return lowerId;
  }

  /** @return the memo of unknown words' stems, or null for tokens made for one text */
  StemMemo memo() {
    return memo;
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

  /** @param i a token index @return the id of its lower-case form, or {@link Vocabulary#UNKNOWN} */
  public int lowerId(final int i) {
    return lowerId[i];
  }

  /** @param i a token index @return the id of its stem, or {@link Vocabulary#UNKNOWN} */
  public int stemId(final int i) {
    return stemId[i];
  }

  /** @param i a token index @return whether it starts with a digit */
  public boolean isNumber(final int i) {
    return Character.isDigit(chars[start[i]]);
  }

  /** @param i a token index @return whether it is a year from 1800 to 1999 */
  public boolean isOldYear(final int i) {
    if (end[i] - start[i] != 4) {
      return false;
    }
    final int s = start[i];
    for (int k = 0; k < 4; k++) {
      if (!Character.isDigit(text.charAt(s + k)) || text.charAt(s + k) > '9') {
        return false;
      }
    }
    final int year = (text.charAt(s) - '0') * 1000 + (text.charAt(s + 1) - '0') * 100;
    return year == 1800 || year == 1900;
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
