package dev.outpost.classifier.story;

import com.ibm.icu.text.Transliterator;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The text side of story matching: a MinHash sketch of an alert's title and evidence, and the
 * names of exercises or parades its evidence gives. Both are computed from the alert alone, so
 * the sketch of a wire copy is the sketch of its original, whichever partition either lands on.
 *
 * <p>Words are folded to lower case (NFKC) and cut to their first six letters, a crude stem that
 * holds across inflections in most of the languages Outpost reads; words of one or two letters
 * and common function words are dropped. Runs of Han, kana or Hangul are split into character
 * pairs, since those scripts put no spaces between words.
 */
public final class StoryText {

  /** Hash functions in a sketch: the Jaccard estimate's standard error is about 1/8 at 64. */
  public static final int SKETCH_SIZE = 64;

  /** Rows per LSH band: 16 bands of 4, so two sketches of Jaccard 0.5 share a band 64% of the time. */
  static final int BAND_ROWS = 4;

  static final int STEM = 6;

  static final Set<String> STOP_WORDS =
      Set.of(
          "the", "and", "for", "with", "from", "has", "have", "had", "its", "this", "that", "these",
          "those", "their", "his", "her", "they", "she", "will", "would", "said", "says", "say",
          "after", "over", "into", "about", "amid", "new", "also", "than", "more", "but", "not",
          "who", "which", "what", "when", "while", "during", "under", "near", "against", "between",
          "two", "three", "first", "last", "les", "des", "une", "der", "die", "das", "und", "den",
          "dem", "von", "für", "auf", "los", "las", "del", "que", "por", "con", "para", "dos", "uma");

  /** The longest of the stop words, in chars: a longer word is none of them. */
  private static final int MAX_STOP_CHARS = STOP_WORDS.stream().mapToInt(String::length).max().orElse(0);

  /** The stop words by their {@link #fnv64} hash, open addressing: no substring to ask about a word. */
  private static final long[] STOP_HASHES = new long[256];

  private static final String[] STOP_BY_HASH = new String[STOP_HASHES.length];

  static {
    for (final String word : STOP_WORDS) {
      final long h = fnv64(word);
      int slot = (int) mix(h) & (STOP_HASHES.length - 1);
      while (STOP_BY_HASH[slot] != null) {
        slot = (slot + 1) & (STOP_HASHES.length - 1);
      }
      STOP_HASHES[slot] = h;
      STOP_BY_HASH[slot] = word;
    }
  }

  /** Whether text[from, to), whose {@link #fnv64} is h, is one of the {@link #STOP_WORDS}. */
  private static boolean isStopWord(final String text, final int from, final int to, final long h) {
    int slot = (int) mix(h) & (STOP_HASHES.length - 1);
    while (STOP_BY_HASH[slot] != null) {
      final String stop = STOP_BY_HASH[slot];
      if (STOP_HASHES[slot] == h && stop.length() == to - from && text.startsWith(stop, from)) {
        return true;
      }
      slot = (slot + 1) & (STOP_HASHES.length - 1);
    }
    return false;
  }

  /**
   * Words of named-event evidence that name no event: the generic nouns around a name ("Exercise
   * Balikatan", "자유의 방패 연습").
   */
  private static final Set<String> GENERIC_NAME_WORDS =
      Set.of(
          "exercise", "exercises", "exercice", "exercices", "drill", "drills", "military", "joint",
          "parade", "the", "of", "fs", "연습", "훈련", "연합훈련", "연습인", "훈련인", "учения", "учений",
          "навчання", "навчань", "übung", "manöver", "ejercicio", "ejercicios", "演习", "演習", "军演");

  private static final long[] SEEDS = seeds();

  /**
   * Cyrillic and Greek to plain Latin letters (ICU's rules): an exercise keeps its name across
   * those scripts ("Запад", "Zapad"). Han and Hangul are left alone: their romanizations are not
   * the names other languages use, and short syllables would match by chance. Not thread-safe,
   * so one per thread.
   */
  static final String ROMANIZE_RULES = "Cyrillic-Latin; Greek-Latin; Latin-ASCII; Lower";

  private static final ThreadLocal<Transliterator> ROMANIZE = ThreadLocal.withInitial(() -> Transliterator.getInstance(ROMANIZE_RULES));

  private static final ThreadLocal<Transliterator> TO_SIMPLIFIED =
      ThreadLocal.withInitial(() -> Transliterator.getInstance("Traditional-Simplified"));

  /** ICU's Traditional-Simplified rules as a table, read on first use; see {@link HanSimplifier}. */
  private static final class Simplifier {
    static final HanSimplifier TABLE = HanSimplifier.of(Transliterator.getInstance("Traditional-Simplified"));
  }

  private StoryText() {}

  /**
   * @param texts a title, evidence texts, ...
   * @return the distinct word tokens of all of them
   */
  public static Set<String> tokens(final Collection<String> texts) {
    final Set<String> out = new HashSet<>();
    final TokenSink keep = (folded, from, to, hash) -> out.add(folded.substring(from, to));
    for (final String text : texts) {
      if (text != null) {
        scan(text, keep);
      }
    }
    return out;
  }

  /**
   * @param tokens tokens, from {@link #tokens}
   * @return their MinHash sketch, {@link #SKETCH_SIZE} values; empty for no tokens
   */
  public static int[] sketch(final Set<String> tokens) {
    if (tokens.isEmpty()) {
      return new int[0];
    }
    final int[] sketch = new int[SKETCH_SIZE];
    Arrays.fill(sketch, Integer.MAX_VALUE);
    for (final String token : tokens) {
      fold(sketch, fnv64(token));
    }
    return sketch;
  }

  /**
   * @param title an item's title
   * @param lead the start of its text
   * @return the sketch of both: the part of every alert's sketch its item gives, the same for each
   *     of the item's labels, so it is computed once an item
   */
  public static int[] itemSketch(final String title, final String lead) {
    return sketchOf(Arrays.asList(title, lead));
  }

  /**
   * What {@code sketch(tokens(texts))} gives, without making the tokens: each token is hashed
   * where it lies in the folded text, and a hash already folded into the sketch is not folded in
   * again. A sketch depends only on its tokens' distinct hashes, so it is the same sketch.
   *
   * @param texts a title, a lead, evidence texts, ...; nulls are skipped
   * @return their MinHash sketch, {@link #SKETCH_SIZE} values; empty for no tokens
   */
  public static int[] sketchOf(final Collection<String> texts) {
    final int[] sketch = new int[SKETCH_SIZE];
    Arrays.fill(sketch, Integer.MAX_VALUE);
    final TokenHashes seen = new TokenHashes();
    final TokenSink foldNew =
        (folded, from, to, hash) -> {
          if (seen.add(hash)) {
            fold(sketch, hash);
          }
        };
    for (final String text : texts) {
      if (text != null) {
        scan(text, foldNew);
      }
    }
    return seen.size == 0 ? new int[0] : sketch;
  }

  /** Folds a token's hash into a sketch, at every place. */
  private static void fold(final int[] sketch, final long h) {
    for (int i = 0; i < SKETCH_SIZE; i++) {
      sketch[i] = Math.min(sketch[i], (int) (mix(h ^ SEEDS[i]) >>> 33));
    }
  }

  /** The distinct token hashes of one sketch: open addressing, zero kept apart. */
  private static final class TokenHashes {
    private long[] slots = new long[64];
    private boolean zero;
    private int size;

    /** @return whether h is new */
    boolean add(final long h) {
      if (h == 0) {
        if (zero) {
          return false;
        }
        zero = true;
        size++;
        return true;
      }
      int mask = slots.length - 1;
      int i = (int) mix(h) & mask;
      while (slots[i] != 0) {
        if (slots[i] == h) {
          return false;
        }
        i = (i + 1) & mask;
      }
      slots[i] = h;
      if (++size * 2 > slots.length) {
        final long[] old = slots;
        slots = new long[old.length * 2];
        mask = slots.length - 1;
        for (final long o : old) {
          if (o != 0) {
            int j = (int) mix(o) & mask;
            while (slots[j] != 0) {
              j = (j + 1) & mask;
            }
            slots[j] = o;
          }
        }
      }
      return true;
    }
  }

  /**
   * @param a the sketch of one token set
   * @param b the sketch of another
   * @return the sketch of their union, which is the smaller value at each place: exactly what
   *     {@link #sketch} gives for the union's tokens
   */
  public static int[] union(final int[] a, final int[] b) {
    if (a.length == 0) {
      return b;
    }
    if (b.length == 0) {
      return a;
    }
    final int[] out = new int[SKETCH_SIZE];
    for (int i = 0; i < SKETCH_SIZE; i++) {
      out[i] = Math.min(a[i], b[i]);
    }
    return out;
  }

  /**
   * @param sketch a sketch
   * @return it as bytes, four big-endian bytes a value; none for an empty sketch
   */
  public static byte[] toBytes(final int[] sketch) {
    final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(sketch.length * Integer.BYTES);
    bytes.asIntBuffer().put(sketch);
    return bytes.array();
  }

  /**
   * @param bytes what {@link #toBytes} wrote
   * @return the sketch
   * @throws IllegalArgumentException when the bytes are not an empty or a whole sketch
   */
  public static int[] fromBytes(final byte[] bytes) {
    if (bytes.length != 0 && bytes.length != SKETCH_SIZE * Integer.BYTES) {
      throw new IllegalArgumentException(
          "a sketch is 0 or " + SKETCH_SIZE * Integer.BYTES + " bytes, not " + bytes.length);
    }
    final int[] sketch = new int[bytes.length / Integer.BYTES];
    java.nio.ByteBuffer.wrap(bytes).asIntBuffer().get(sketch);
    return sketch;
  }

  /**
   * @param a a sketch
   * @param b another
   * @return the estimated Jaccard similarity of the token sets behind them; 0 when either is empty
   */
  public static double similarity(final int[] a, final int[] b) {
    if (a.length == 0 || b.length == 0) {
      return 0.0;
    }
    int same = 0;
    for (int i = 0; i < SKETCH_SIZE; i++) {
      if (a[i] == b[i]) {
        same++;
      }
    }
    return same / (double) SKETCH_SIZE;
  }

  /**
   * @param sketch a sketch
   * @return its LSH band keys, one per band; none for an empty sketch
   */
  public static long[] bands(final int[] sketch) {
    if (sketch.length == 0) {
      return new long[0];
    }
    final long[] bands = new long[SKETCH_SIZE / BAND_ROWS];
    for (int b = 0; b < bands.length; b++) {
      long h = 0xcbf29ce484222325L + b;
      for (int r = 0; r < BAND_ROWS; r++) {
        h = mix(h ^ sketch[b * BAND_ROWS + r]);
      }
      bands[b] = h;
    }
    return bands;
  }

  /**
   * @param namedEvidence the texts of evidence that names an event ("Freedom Shield 24",
   *     "'자유의 방패' 연합훈련")
   * @return the words that make the name, lower case, without numbers or generic nouns, Cyrillic
   *     and Greek romanized
   */
  public static Set<String> names(final Collection<String> namedEvidence) {
    final Set<String> out = new TreeSet<>();
    for (final String text : namedEvidence) {
      final String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
      int i = 0;
      while (i < folded.length()) {
        final int c = folded.codePointAt(i);
        if (!Character.isLetter(c)) {
          i += Character.charCount(c);
          continue;
        }
        final int start = i;
        while (i < folded.length() && Character.isLetter(folded.codePointAt(i))) {
          i += Character.charCount(folded.codePointAt(i));
        }
        final String word = folded.substring(start, i);
        if (word.codePointCount(0, word.length()) >= 2 && !GENERIC_NAME_WORDS.contains(word)) {
          out.add(romanized(word));
        }
      }
    }
    return out;
  }

  /**
   * @param word a word of letters, lower case
   * @return it in plain Latin letters, lower case ({@link #ROMANIZE}); a word of the letters a to z
   *     is that already, and is not put through the transliterator, which costs microseconds a word
   */
  static String romanized(final String word) {
    for (int i = 0; i < word.length(); i++) {
      final char c = word.charAt(i);
      if (c < 'a' || c > 'z') {
        return ROMANIZE.get().transliterate(word);
      }
    }
    return word;
  }

  /**
   * @param ruleId a classifier rule id
   * @return whether its evidence names an event: an exercise's or a parade's name
   */
  public static boolean namesEvent(final String ruleId) {
    return ruleId.endsWith(".named") || ruleId.endsWith(".named_alone") || ruleId.endsWith(".codenamed");
  }

  /**
   * @param evidence an alert's evidence, headline first, then the body in reading order
   * @return the states the first span that says whom its act is aimed at names ({@link
   *     StoryCandidate.Span#targets()}): the act the item leads with. Later spans often recount
   *     the act it answers ("China expels Canada's consul ... after Ottawa expelled a Chinese
   *     diplomat"), so taking them all would make a reply look aimed at both sides. Empty when no
   *     span names one, or when the spans were written before the classifier gave targets
   */
  public static Set<String> targets(final Collection<StoryCandidate.Span> evidence) {
    for (final StoryCandidate.Span span : evidence) {
      if (!span.targets().isEmpty()) {
        return new LinkedHashSet<>(span.targets());
      }
    }
    return Set.of();
  }

  /**
   * @param evidence an alert's or a story's evidence
   * @return the head counts its evidence gives ("750 troops", "3,000 more troops", "3.000
   *     Soldaten", "expels 23 Russian diplomats"), from the spans of the rules that count troops
   *     and that expel diplomats; numbers under ten are left out ("two battalions", "2 diplomats")
   */
  public static Set<Long> headCounts(final Collection<StoryCandidate.Span> evidence) {
    Set<Long> out = Set.of();
    for (final StoryCandidate.Span span : evidence) {
      if (!span.ruleId().endsWith(".number_of_troops") && !span.ruleId().endsWith(".expel_diplomats")) {
        continue;
      }
      final String text = span.text();
      int i = 0;
      while (i < text.length()) {
        if (!isDigit(text.charAt(i))) {
          i++;
          continue;
        }
        long n = 0;
        while (i < text.length()) {
          final char c = text.charAt(i);
          if (isDigit(c)) {
            n = Math.min(n * 10 + (c >= '０' ? c - '０' : c - '0'), MAX_HEAD_COUNT);
            i++;
          } else if (GROUP_SEPARATORS.indexOf(c) >= 0 && groupOfThreeAt(text, i + 1)) {
            i++;
          } else {
            break;
          }
        }
        if (n >= 10) {
          if (out.isEmpty()) {
            out = new HashSet<>();
          }
          out.add(n);
        }
      }
    }
    return out;
  }

  private static final long MAX_HEAD_COUNT = 100_000_000L;

  /** Between groups of three digits: comma, full stop, space, no-break and narrow no-break space. */
  private static final String GROUP_SEPARATORS = ",. \u00a0\u202f";

  /** A digit as news writes them: ASCII, or full width in Japanese and Chinese text. */
  private static boolean isDigit(final char c) {
    return (c >= '0' && c <= '9') || (c >= '０' && c <= '９');
  }

  /** Whether exactly three digits start at {@code from}: "3,000" groups, "3, 4" does not. */
  private static boolean groupOfThreeAt(final String text, final int from) {
    int n = 0;
    while (from + n < text.length() && isDigit(text.charAt(from + n))) {
      n++;
    }
    return n == 3;
  }

  /**
   * @param a head counts of one report
   * @param b head counts of another
   * @return whether they may tell of one deployment: one of them gives none, or two counts are
   *     within half of each other ("nearly 3,000" and "up to 3,500"), unlike 750 and 3,000
   */
  public static boolean headCountsAgree(final Set<Long> a, final Set<Long> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return true;
    }
    for (final long x : a) {
      for (final long y : b) {
        if (Math.max(x, y) <= 1.5 * Math.min(x, y)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Takes the tokens of a text, each as {@code folded[from, to)} with its {@link #fnv64} hash. */
  @FunctionalInterface
  private interface TokenSink {
    void token(String folded, int from, int to, long hash);
  }

  /**
   * Cuts a text into the tokens sketches are made of: NFKC, lower case and Han simplified; runs of
   * letters and digits; a run of Han, kana or Hangul as its pairs of neighbouring characters (or
   * the one character), any other run of more than two as its first {@link #STEM} code points,
   * unless it is a stop word.
   */
  private static void scan(final String text, final TokenSink sink) {
    final String folded = simplified(Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT));
    int i = 0;
    while (i < folded.length()) {
      final int c = folded.codePointAt(i);
      if (!Character.isLetterOrDigit(c)) {
        i += Character.charCount(c);
        continue;
      }
      final int start = i;
      boolean allWide = true;
      int letters = 0;
      // Where the first STEM code points end: a longer word is kept to them.
      int stemEnd = start;
      while (i < folded.length() && Character.isLetterOrDigit(folded.codePointAt(i))) {
        final int d = folded.codePointAt(i);
        allWide &= wide(d);
        i += Character.charCount(d);
        if (++letters == STEM) {
          stemEnd = i;
        }
      }
      if (allWide) {
        // Each pair of neighbouring characters, or the character alone.
        int a = start;
        int b = a + Character.charCount(folded.codePointAt(a));
        if (b == i) {
          sink.token(folded, a, b, fnv64(folded, a, b));
        }
        while (b < i) {
          final int next = b + Character.charCount(folded.codePointAt(b));
          sink.token(folded, a, next, fnv64(folded, a, next));
          a = b;
          b = next;
        }
      } else if (letters > 2) {
        final int end = letters > STEM ? stemEnd : i;
        if (i - start > MAX_STOP_CHARS) {
          sink.token(folded, start, end, fnv64(folded, start, end));
        } else {
          // Short enough to be a stop word: the whole word's hash answers that, and is the
          // token's own unless the word is cut to its stem.
          final long whole = fnv64(folded, start, i);
          if (!isStopWord(folded, start, i, whole)) {
            sink.token(folded, start, end, end == i ? whole : fnv64(folded, start, end));
          }
        }
      }
    }
  }

  /**
   * Traditional Han characters to simplified ones, so a report from Taipei or Hong Kong and one
   * from Beijing share their character pairs ("聯合利劍", "联合利剑"). Only text with Han
   * characters is looked at, with ICU's rules read into a table ({@link HanSimplifier}); ICU's
   * own transliterator, a thousand times slower, only if its rules could not be read so.
   */
  static String simplified(final String text) {
    for (int i = 0; i < text.length(); i++) {
      final char c = text.charAt(i);
      // No Han character comes before U+2E80: most text is answered without a script lookup.
      if (c >= '\u2E80' && Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN) {
        final HanSimplifier table = Simplifier.TABLE;
        return table != null ? table.simplify(text) : TO_SIMPLIFIED.get().transliterate(text);
      }
    }
    return text;
  }

  /** No code point below this is Han, kana or Hangul: Hangul Jamo, at U+1100, comes first. */
  static final int FIRST_WIDE = 0x1100;

  static boolean wide(final int c) {
    // Most letters are Latin or Cyrillic: answered without the script table's binary search.
    if (c < FIRST_WIDE) {
      return false;
    }
    final Character.UnicodeScript script = Character.UnicodeScript.of(c);
    return script == Character.UnicodeScript.HAN
        || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA
        || script == Character.UnicodeScript.HANGUL;
  }

  private static long fnv64(final String s) {
    return fnv64(s, 0, s.length());
  }

  private static long fnv64(final String s, final int from, final int to) {
    long h = 0xcbf29ce484222325L;
    for (int i = from; i < to; i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** SplitMix64's finaliser: a cheap, well-spread 64-bit mix. */
  private static long mix(final long x) {
    long z = x + 0x9e3779b97f4a7c15L;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static long[] seeds() {
    final long[] seeds = new long[SKETCH_SIZE];
    long s = 0x2545f4914f6cdd1dL;
    for (int i = 0; i < SKETCH_SIZE; i++) {
      s = mix(s);
      seeds[i] = s;
    }
    return seeds;
  }
}
