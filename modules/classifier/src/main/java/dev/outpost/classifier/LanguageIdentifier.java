package dev.outpost.classifier;

import com.optimaize.langdetect.DetectedLanguage;
import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.i18n.LdLocale;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObjectFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Tells the language of a news item's title and body, as an ISO 639-1 code, or {@link #UNDETERMINED}.
 *
 * <p>Three steps, cheapest first, over at most the first {@value #SAMPLE_CHARS} characters:
 *
 * <ol>
 *   <li>The script decides where it alone can: Hangul is Korean, kana with or without Han is
 *       Japanese, Han alone is Chinese, Arabic letters are Arabic unless Persian or Urdu letters
 *       show, and Greek, Hebrew, Devanagari, Thai and other scripts name their language.
 *   <li>Latin text whose words are plainly English ("the", "of", "and", ... at least
 *       {@value #ENGLISH_SHARE_PERCENT}% of them) is English: most of what a feed carries, decided
 *       without n-grams.
 *   <li>Other Latin and Cyrillic text goes to the Optimaize n-gram detector, loaded with the
 *       profiles of {@link #DETECTED}, and seeded, so the same text always gets the same answer.
 * </ol>
 *
 * <p>Thread-safe; the n-gram profiles (about 1.5 MB of heap each) are loaded on first use.
 */
public final class LanguageIdentifier {

  /** The code for a text whose language cannot be told (no letters, or too short to say). */
  public static final String UNDETERMINED = "und";

  /** Characters of title and body looked at. */
  static final int SAMPLE_CHARS = 400;

  static final int ENGLISH_SHARE_PERCENT = 8;

  /** How many letters of a Latin word one Han, kana or Hangul character counts as. */
  static final int CJK_WEIGHT = 4;

  /** Latin or Cyrillic text with fewer letters than this is too short to tell. */
  static final int MIN_LETTERS = 10;


  /** Below this probability the detector's best guess is not taken. */
  static final double MIN_PROBABILITY = 0.5;

  /** The Latin- and Cyrillic-script languages the n-gram detector chooses among. */
  static final List<String> DETECTED =
      List.of(
          "en", "de", "fr", "es", "pt", "it", "nl", "pl", "ro", "cs", "sk", "hu", "sv", "da", "no",
          "fi", "et", "lv", "lt", "sl", "hr", "sq", "tr", "id", "ms", "vi", "tl", "ca", "gl", "eu",
          "af", "sw", "ga", "cy", "is", "ru", "uk", "be", "bg", "sr", "mk");

  /**
   * Words frequent in English news and rare in the other Latin-script languages: not "was" or
   * "will" (German), "is" or "over" (Dutch), "as" (Portuguese), "on" (French).
   */
  private static final long[] ENGLISH_WORDS =
      pack(
          "the", "of", "and", "to", "are", "were", "for", "with", "that", "from", "by", "has", "have",
          "had", "said", "says", "after", "its", "their", "this", "been", "amid", "into", "his",
          "they", "who", "which", "would", "it", "at");

  /**
   * Short words common in English headlines, some shared with other languages ("in", "is",
   * "over"): not proof of English alone, but enough to overrule an n-gram guess on a headline.
   */
  private static final long[] ENGLISH_HEADLINE_WORDS =
      pack(
          "the", "of", "and", "to", "are", "were", "for", "with", "that", "from", "by", "has",
          "have", "had", "said", "says", "after", "its", "their", "this", "been", "amid", "into",
          "his", "they", "who", "which", "would", "it", "at", "in", "on", "as", "is", "was", "will",
          "over", "be", "new", "not", "more", "than", "up", "out", "about", "back", "off",
          "how", "why", "what", "all", "war", "talks", "deal", "set", "hit", "ties", "top", "chief",
          "army", "backs", "vows", "urges", "warns", "begins", "ends", "holds", "sends", "calls",
          "plans", "first", "two", "us", "uk", "eu", "pm", "border", "troops", "drills", "games",
          "parade", "envoy", "against", "near", "under", "killed", "dead", "news", "day", "week",
          "year", "world", "man", "woman");

  /**
   * Function words of other Latin-script languages that English text does not use, leaving out
   * those English has too or meets in names ("met", "hat", "van", "al-", "El", "par").
   */
  private static final long[] FOREIGN_WORDS =
      pack(
          // German
          "der", "das", "und", "ist", "nach", "mit", "von", "den", "dem", "des", "ein", "eine",
          "einen", "nicht", "sich", "auf", "zu", "im", "bei", "wird", "werden", "sind",
          "auch", "aus", "vor", "zum", "zur", "gegen",
          // French
          "le", "les", "du", "et", "est", "une", "pour", "dans", "sur", "avec", "au", "aux",
          "qui", "que", "pas", "se", "sont", "ont", "lors",
          // Spanish, Portuguese, Italian
          "los", "las", "del", "y", "en", "con", "por", "para", "una", "un", "es", "su",
          "lo", "como", "tras", "sobre", "o", "os", "dos", "e", "em", "com", "um", "uma",
          "na", "nos", "nas", "ao", "pelo", "pela", "il", "gli", "della", "di", "che", "per",
          "nel", "alla", "sono",
          "la", "el", "de", "l", "d", "qu",
          // Dutch and the Nordic languages
          "het", "een", "voor", "niet", "naar", "och", "att", "som", "til",
          "ikke", "af", "ja",
          // Polish, Czech, Turkish, Indonesian, Romanian
          "w", "z", "i", "nie", "jest", "oraz", "je", "za", "od", "ve", "bir", "ile", "yang", "dan",
          "dari", "untuk", "cu", "pe");

  /** Japanese forms that neither simplified nor traditional Chinese writes. */
  private static final String SHINJITAI = "弾発図戦対関実団労続駅伝県歳気広売読変転権価険験検営総鉄働込畑峠辺済渋様隣沢";

  /** Simplified Chinese forms that Japanese does not write. */
  private static final String SIMPLIFIED = "们这说对发时为个过还没进动从现开关问题边东车长门见马鸟语请让读写买卖军队练战弹卫国际与员";

  private static final TextObjectFactory TEXT = CommonTextObjectFactories.forDetectingShortCleanText();

  private volatile LanguageDetector detector;

  /** The languages the classifier reads, favoured by the detector's priors. */
  private final java.util.Set<String> supported;

  /** An identifier that favours English and the ten languages Outpost ships packs for. */
  public LanguageIdentifier() {
    this(java.util.Set.of("en", "de", "fr", "es", "pt", "ru", "uk", "zh", "ja", "ko", "ar"));
  }

  /**
   * @param supported the languages the classifier reads: the n-gram detector leans to them
   */
  public LanguageIdentifier(final java.util.Collection<String> supported) {
    this.supported = java.util.Set.copyOf(supported);
  }

  /**
   * @return everything that decides this identifier's answers, for the classifier's version: a
   *     change to any word list, threshold, prior or the detector's own version changes it
   */
  public String fingerprint() {
    return String.join(
        "|",
        "optimaize-language-detector-0.6",
        String.valueOf(SAMPLE_CHARS),
        String.valueOf(ENGLISH_SHARE_PERCENT),
        String.valueOf(MIN_LETTERS),
        String.valueOf(PLAIN_ENGLISH_CHARS),
        String.valueOf(EARLY_ENGLISH_WORDS),
        String.valueOf(CJK_WEIGHT),
        String.valueOf(MIN_PROBABILITY),
        String.valueOf(ENGLISH_PRIOR),
        String.valueOf(SUPPORTED_PRIOR),
        String.valueOf(OTHER_PRIOR),
        String.join(",", DETECTED),
        java.util.Arrays.toString(ENGLISH_WORDS),
        java.util.Arrays.toString(ENGLISH_HEADLINE_WORDS),
        java.util.Arrays.toString(FOREIGN_WORDS),
        SHINJITAI,
        SIMPLIFIED,
        new java.util.TreeSet<>(supported).toString());
  }

  /**
   * @param title the item's title; may be null
   * @param body the item's body; may be null
   * @return an ISO 639-1 code, or {@link #UNDETERMINED}
   */
  public String identify(final String title, final String body) {
    final String t = title == null ? "" : title;
    final String b = body == null ? "" : body;
    final Counts c = new Counts();
    count(t, Math.min(t.length(), SAMPLE_CHARS), c);
    final int bodyChars = Math.min(b.length(), Math.max(0, SAMPLE_CHARS - t.length()));
    // Plain English shows itself within a couple of lines: the rest is not read.
    final int firstLines = Math.min(bodyChars, PLAIN_ENGLISH_CHARS);
    count(b, firstLines, c);
    if (!plainEnglish(c, EARLY_ENGLISH_WORDS)) {
      count(b, firstLines, bodyChars, c);
    }
    if (c.letters == 0) {
      return UNDETERMINED;
    }
    // A Han or Hangul character carries about as much as a short word, not a letter: weigh it so
    // ("美军与Philippine Marines举行联合军演" is Chinese).
    final int cjk = CJK_WEIGHT * (c.han + c.kana + c.hangul);
    final int best = Math.max(Math.max(c.latin, c.cyrillic), Math.max(Math.max(cjk, c.arabic), c.other));
    if (best == cjk) {
      if (c.hangul >= c.han + c.kana) {
        return "ko";
      }
      // Japanese prose is thick with kana, Chinese has none; a kanji-only Japanese headline may
      // still show forms only Japanese writes (弾, 発, 戦, 対, 県 ...).
      return c.kana * 10 >= c.han + c.kana || c.shinjitai > c.simplified ? "ja" : "zh";
    }
    if (best == c.arabic) {
      if (c.urdu * 50 > c.arabic) {
        return "ur";
      }
      return c.persian * 50 > c.arabic ? "fa" : "ar";
    }
    if (best == c.other) {
      return c.otherLanguage;
    }
    // Latin or Cyrillic: a few letters ("UTC", "Drills") say nothing of a language.
    if (c.letters < MIN_LETTERS) {
      return UNDETERMINED;
    }
    final int foreign = c.foreignWords + c.accentedWords;
    if (best == c.latin && plainEnglish(c, 2)) {
      return "en";
    }
    // Latin text with an English headline word and at most one foreign mark is English whatever
    // the n-grams say (the rules below): the detector, most of what a guess costs, is not asked.
    if (best == c.latin && c.headlineWords > 0 && foreign < 2) {
      return "en";
    }
    // Names mislead n-grams ("Erdoğan orders troop deployment" reads as Dutch): they are left out
    // of what the detector sees when enough else is left.
    final String guess = guess(sample(t, b));
    if (best != c.latin || guess.equals("en")) {
      return guess;
    }
    // Latin text the detector gives to another language. Its own function words or accents confirm
    // it; English headline words with no such mark overrule it ("Egypt, Sudan conduct joint
    // military drill" reads as French to n-grams). With neither, nothing can be told: the item is
    // read as English, the default, and says its language is undetermined.
    if (foreign >= 2 || foreign == 1 && c.headlineWords == 0) {
      return guess;
    }
    return c.headlineWords > 0 ? "en" : UNDETERMINED;
  }

  /** Latin text, at least this many listed English words, a fair share of them, few foreign marks. */
  private static boolean plainEnglish(final Counts c, final int minEnglishWords) {
    return c.latin * 10 >= c.letters * 9
        && c.words >= 3
        && c.englishWords >= minEnglishWords
        && c.englishWords * 100 >= ENGLISH_SHARE_PERCENT * c.words
        && c.englishWords > 2 * (c.foreignWords + c.accentedWords);
  }

  /** How much of a body is read before plain English may be decided. */
  static final int PLAIN_ENGLISH_CHARS = 160;

  /** English words needed to decide on the first lines alone. */
  static final int EARLY_ENGLISH_WORDS = 4;

  private String guess(final String sample) {
    final String lowerWords = withoutCapitalizedWords(sample);
    final String text = letters(lowerWords) >= MIN_LETTERS * 2 ? lowerWords : sample;
    final List<DetectedLanguage> guesses = detector().getProbabilities(TEXT.forText(text));
    return guesses.isEmpty() || guesses.get(0).getProbability() < MIN_PROBABILITY
        ? UNDETERMINED
        : guesses.get(0).getLocale().getLanguage();
  }

  /** The letters of a text, counted by code point. */
  static int letters(final String text) {
    int n = 0;
    for (int i = 0; i < text.length(); ) {
      final int cp = text.codePointAt(i);
      if (Character.isLetter(cp)) {
        n++;
      }
      i += Character.charCount(cp);
    }
    return n;
  }

  /**
   * The words of a text that do not start with a capital letter, space-separated. A word is a run
   * of characters between separators: white space, ASCII punctuation, and guillemets and curly
   * quotes. One pass, no pattern: it runs on every item whose language is guessed.
   */
  static String withoutCapitalizedWords(final String text) {
    final int n = text.length();
    final StringBuilder out = new StringBuilder(n);
    int i = 0;
    while (i < n) {
      while (i < n && isSeparator(text.charAt(i))) {
        i++;
      }
      if (i == n) {
        break;
      }
      final int start = i;
      while (i < n && !isSeparator(text.charAt(i))) {
        i++;
      }
      if (!Character.isUpperCase(text.codePointAt(start))) {
        out.append(text, start, i).append(' ');
      }
    }
    return out.toString();
  }

  private static boolean isSeparator(final char c) {
    if (c < 128) {
      // White space as a pattern's \s reads it, and ASCII punctuation (\p{Punct}).
      return c == ' ' || c >= '\t' && c <= '\r' || c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~';
    }
    return c == '\u00AB' || c == '\u00BB' || c == '\u201C' || c == '\u201D' || c == '\u2018' || c == '\u2019';
  }

  private LanguageDetector detector() {
    LanguageDetector d = detector;
    if (d == null) {
      synchronized (this) {
        d = detector;
        if (d == null) {
          try {
            d =
                LanguageDetectorBuilder.create(NgramExtractors.standard())
                    .withProfiles(new LanguageProfileReader().readBuiltIn(DETECTED.stream().map(LdLocale::fromString).toList()))
                    .seed(20_261_204L)
                    .languagePriorities(priorities(supported))
                    .build();
          } catch (final IOException e) {
            throw new UncheckedIOException("Cannot read the language detector's built-in profiles", e);
          }
          detector = d;
        }
      }
    }
    return d;
  }

  /**
   * Prior weights: a short Latin-script headline is far more often English than Catalan or
   * Afrikaans in what news subscribers read, so English comes first, the other languages Outpost
   * reads next, the rest last. Longer text outweighs the priors.
   */
  private static java.util.Map<LdLocale, Double> priorities(final java.util.Set<String> supported) {
    final java.util.Map<LdLocale, Double> p = new java.util.HashMap<>();
    for (final String code : DETECTED) {
      final double weight = code.equals("en") ? ENGLISH_PRIOR : supported.contains(code) ? SUPPORTED_PRIOR : OTHER_PRIOR;
      p.put(LdLocale.fromString(code), weight);
    }
    return p;
  }

  static final double ENGLISH_PRIOR = 1.0;
  static final double SUPPORTED_PRIOR = 0.3;
  static final double OTHER_PRIOR = 0.05;

  private static String sample(final String t, final String b) {
    // Cut each field before joining: a huge body is never copied whole.
    final String title = cut(t, SAMPLE_CHARS);
    final String body = cut(b, Math.max(0, SAMPLE_CHARS - title.length()));
    return title.isEmpty() ? body : body.isEmpty() ? title : title + ". " + body;
  }

  private static String cut(final String s, final int max) {
    if (s.length() <= max) {
      return s;
    }
    // Do not cut a surrogate pair in two.
    return s.substring(0, max > 0 && Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max);
  }


  private static final class Counts {
    int letters;
    int latin;
    int cyrillic;
    int arabic;
    int persian;
    int urdu;
    int han;
    int kana;
    int hangul;
    int other;
    String otherLanguage = UNDETERMINED;
    int words;
    int englishWords;
    int headlineWords;
    int foreignWords;
    int accentedWords;
    int shinjitai;
    int simplified;
  }

  /** Counts the letters, scripts and listed words of {@code s[0, end)} into {@code c}. */
  private static void count(final String s, final int end, final Counts c) {
    count(s, 0, end, c);
  }

  /**
   * Counts {@code s[from, end)}; a word cut at {@code from} or {@code end} counts as two, which
   * only blurs the counts by one.
   */
  private static void count(final String s, final int from, final int end, final Counts c) {
    // A word of ASCII letters is packed into a long, seven bits a letter, so the word lists are
    // checked without building a String; longer or accented words are never in them.
    long key = 0;
    int length = 0;
    boolean accented = false;
    boolean capitalized = false;
    int i = from;
    while (i <= end) {
      final char ch = i < end ? s.charAt(i) : ' ';
      final int cp = ch < 128 ? ch : s.codePointAt(i);
      if (cp < 128 && (cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z')) {
        c.letters++;
        c.latin++;
        key = key << 7 | (cp | 0x20);
        length++;
        capitalized |= length == 1 && cp <= 'Z';
      } else if (cp >= 0xC0 && cp <= 0x24F && Character.isLetter(cp)) {
        // Accented Latin letters: part of the word, and a sign of a language other than English,
        // unless the word is a name ("Erdoğan", "Sánchez").
        c.letters++;
        c.latin++;
        length++;
        accented = true;
        capitalized |= length == 1 && Character.isUpperCase(cp);
      } else {
        if (length > 0) {
          c.words++;
          if (accented) {
            if (!capitalized) {
              c.accentedWords++;
            }
          } else if (length <= MAX_LISTED_LENGTH) {
            final int kinds = WORD_TABLE.kinds(key);
            if (kinds != 0) {
              if ((kinds & ENGLISH) != 0) {
                c.englishWords++;
              }
              if ((kinds & HEADLINE) != 0) {
                c.headlineWords++;
              }
              // Function words are written in lower case inside a sentence; "La" may be a name.
              if (!capitalized && (kinds & FOREIGN) != 0) {
                c.foreignWords++;
              }
            }
          }
          key = 0;
          length = 0;
          accented = false;
          capitalized = false;
        }
        if (cp >= 128 && Character.isLetter(cp)) {
          c.letters++;
          script(cp, c);
        }
      }
      i += Character.charCount(cp);
    }
  }

  /** Words in the lists are at most this long, so a packed word fits in a long. */
  private static final int MAX_LISTED_LENGTH = 8;

  private static long[] pack(final String... words) {
    final long[] keys = new long[words.length];
    for (int k = 0; k < words.length; k++) {
      final String w = words[k];
      if (w.length() > MAX_LISTED_LENGTH || !w.matches("[a-z]+")) {
        throw new IllegalArgumentException("Not a short lower-case ASCII word: " + w);
      }
      long key = 0;
      for (int j = 0; j < w.length(); j++) {
        key = key << 7 | w.charAt(j);
      }
      keys[k] = key;
    }
    java.util.Arrays.sort(keys);
    for (int k = 1; k < keys.length; k++) {
      if (keys[k] == keys[k - 1]) {
        throw new IllegalArgumentException("A word is listed twice");
      }
    }
    return keys;
  }

  private static final int ENGLISH = 1;
  private static final int HEADLINE = 2;
  private static final int FOREIGN = 4;

  /** Every listed word, packed, with the lists it is on: one probe per word of text. */
  private static final WordTable WORD_TABLE = new WordTable();

  /** Open addressing over packed words; built once, read-only. */
  private static final class WordTable {
    private final long[] keys = new long[512];
    private final int[] kinds = new int[512];

    WordTable() {
      add(ENGLISH_WORDS, ENGLISH);
      add(ENGLISH_HEADLINE_WORDS, HEADLINE);
      add(FOREIGN_WORDS, FOREIGN);
    }

    private void add(final long[] words, final int kind) {
      for (final long key : words) {
        int slot = slot(key);
        while (kinds[slot] != 0 && keys[slot] != key) {
          slot = (slot + 1) & (keys.length - 1);
        }
        keys[slot] = key;
        kinds[slot] |= kind;
      }
    }

    private int slot(final long key) {
      return (int) ((key * 0x9E3779B97F4A7C15L) >>> 55);
    }

    int kinds(final long key) {
      int slot = slot(key);
      while (kinds[slot] != 0) {
        if (keys[slot] == key) {
          return kinds[slot];
        }
        slot = (slot + 1) & (keys.length - 1);
      }
      return 0;
    }
  }

  private static void script(final int cp, final Counts c) {
    final Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    switch (script) {
      case LATIN -> c.latin++;
      case CYRILLIC -> c.cyrillic++;
      case ARABIC -> {
        c.arabic++;
        // Letters Persian writes and Arabic does not: پ چ ژ گ and the Persian forms of kaf and yeh.
        if (cp == 0x067E || cp == 0x0686 || cp == 0x0698 || cp == 0x06AF || cp == 0x06A9 || cp == 0x06CC) {
          c.persian++;
        }
        // Urdu's retroflex letters, its heh forms and its barree yeh.
        if (cp == 0x0679 || cp == 0x0688 || cp == 0x0691 || cp == 0x06BA || cp == 0x06BE || cp == 0x06C1 || cp == 0x06D2) {
          c.urdu++;
        }
      }
      case HAN -> {
        c.han++;
        if (SHINJITAI.indexOf(cp) >= 0) {
          c.shinjitai++;
        } else if (SIMPLIFIED.indexOf(cp) >= 0) {
          c.simplified++;
        }
      }
      case HIRAGANA, KATAKANA -> c.kana++;
      case HANGUL -> c.hangul++;
      case COMMON -> {
        // The prolonged sound mark of Katakana is "common" to both kana scripts.
        if (cp == 0x30FC) {
          c.kana++;
        } else {
          c.letters--;
        }
      }
      default -> {
        c.other++;
        if (c.otherLanguage.equals(UNDETERMINED)) {
          c.otherLanguage = otherLanguage(script);
        }
      }
    }
  }

  /** The language a script other than those above most often writes in news, or und. */
  private static String otherLanguage(final Character.UnicodeScript script) {
    return switch (script) {
      case GREEK -> "el";
      case HEBREW -> "he";
      case DEVANAGARI -> "hi";
      case BENGALI -> "bn";
      case TAMIL -> "ta";
      case TELUGU -> "te";
      case THAI -> "th";
      case ARMENIAN -> "hy";
      case GEORGIAN -> "ka";
      case KHMER -> "km";
      case MYANMAR -> "my";
      case ETHIOPIC -> "am";
      case SINHALA -> "si";
      default -> UNDETERMINED;
    };
  }

  /**
   * Normalizes a declared language tag to the ISO 639-1 code it names ("en-US" to "en",
   * "zh-Hant-TW" to "zh", "PT_br" to "pt").
   *
   * @param tag a BCP 47 tag, or null
   * @return its primary language subtag, lower-case, or {@link #UNDETERMINED} when blank or "und"
   */
  public static String normalize(final String tag) {
    if (tag == null || tag.isBlank()) {
      return UNDETERMINED;
    }
    // The primary subtag: up to the first '-' or '_'. Every item that declares a language comes
    // through here, so no pattern is compiled for it.
    final String stripped = tag.strip();
    int end = 0;
    while (end < stripped.length() && stripped.charAt(end) != '-' && stripped.charAt(end) != '_') {
      end++;
    }
    final String primary = stripped.substring(0, end).toLowerCase(Locale.ROOT);
    if (primary.length() < 2 || primary.length() > 3) {
      return UNDETERMINED;
    }
    for (int i = 0; i < primary.length(); i++) {
      if (primary.charAt(i) < 'a' || primary.charAt(i) > 'z') {
        return UNDETERMINED;
      }
    }
    // Three-letter codes for the supported languages, as some feeds write them.
    return switch (primary) {
      // Several languages, or none: to be identified.
      case "mul", "zxx", "mis" -> UNDETERMINED;
      // Country codes written where a language was meant.
      case "jp" -> "ja";
      case "cn" -> "zh";
      case "kr" -> "ko";
      case "ua" -> "uk";
      case "eng" -> "en";
      case "deu", "ger" -> "de";
      case "fra", "fre" -> "fr";
      case "spa" -> "es";
      case "por" -> "pt";
      case "rus" -> "ru";
      case "ukr" -> "uk";
      case "zho", "chi" -> "zh";
      case "jpn" -> "ja";
      case "kor" -> "ko";
      case "ara" -> "ar";
      default -> primary;
    };
  }
}
