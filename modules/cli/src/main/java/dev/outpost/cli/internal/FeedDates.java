package dev.outpost.cli.internal;

import com.rometools.rome.io.impl.DateParser;
import java.text.Normalizer;
import java.time.Instant;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdom2.Document;
import org.jdom2.Element;

/**
 * The dates a feed's entries carry that Rome, which reads English month and day names only, could
 * not read: "Sex, 05 Dez 2025 10:00:00 -0300", "Mi, 3. Dez 2025 08:15 +0100". Month and day names
 * of the feed's language (or, when it names none, of the common European ones) are taken from the
 * JDK's locale data, swapped for the English ones, and the result read as RFC 822 or W3C dates.
 */
final class FeedDates {

  /** The elements an entry's date is written in, in the order they are taken. */
  private static final List<String> DATE_ELEMENTS =
      List.of("pubDate", "published", "issued", "date", "updated", "modified", "created");

  /** Tried when the feed does not name its language. */
  private static final List<Locale> COMMON =
      List.of(Locale.GERMAN, Locale.FRENCH, Locale.ITALIAN, Locale.forLanguageTag("pt"), Locale.forLanguageTag("es"),
          Locale.forLanguageTag("nl"), Locale.forLanguageTag("pl"), Locale.forLanguageTag("tr"));

  private final List<String> raw;
  private final List<Locale> locales;

  /**
   * @param document the feed's XML
   * @param entries how many entries Rome found; raw dates are used only when the count agrees
   * @param language the feed's declared language, or null
   */
  FeedDates(final Document document, final int entries, final String language) {
    final List<String> found = new ArrayList<>();
    collect(document.getRootElement(), found);
    this.raw = found.size() == entries ? found : List.of();
    final Locale declared = language == null || language.isBlank() ? null : Locale.forLanguageTag(language.strip());
    this.locales =
        declared != null && !declared.getLanguage().isEmpty() && !declared.getLanguage().equals("en")
            ? List.of(declared)
            : COMMON;
  }

  /**
   * @param entry the entry's position, from 0
   * @return its date when the text names one this class can read, else null
   */
  Instant of(final int entry) {
    if (entry >= raw.size() || raw.get(entry) == null) {
      return null;
    }
    return parse(raw.get(entry), locales);
  }

  /** Entries are RSS items and Atom entries, in document order, as Rome lists them. */
  private static void collect(final Element element, final List<String> out) {
    for (final Element child : element.getChildren()) {
      if (child.getName().equals("item") || child.getName().equals("entry")) {
        out.add(dateOf(child));
      } else if (child.getName().equals("channel")) {
        collect(child, out);
      }
    }
  }

  private static String dateOf(final Element entry) {
    for (final String name : DATE_ELEMENTS) {
      for (final Element child : entry.getChildren()) {
        if (child.getName().equals(name) && !child.getTextTrim().isEmpty()) {
          return child.getTextTrim();
        }
      }
    }
    return null;
  }

  /**
   * @param text a date as a feed writes it
   * @param locales the languages its names may be in
   * @return the instant, or null when it cannot be read
   */
  static Instant parse(final String text, final List<Locale> locales) {
    final Date english = DateParser.parseDate(text, Locale.US);
    if (english != null) {
      return english.toInstant();
    }
    for (final Locale locale : locales) {
      final String translated = translate(text, locale);
      if (translated != null) {
        final Date date = DateParser.parseDate(translated, Locale.US);
        if (date != null) {
          return date.toInstant();
        }
      }
    }
    return null;
  }

  private static final Pattern WORD = Pattern.compile("\\p{L}+\\.?");

  /** The text with the locale's month names made English and its day names dropped; null if none. */
  private static String translate(final String text, final Locale locale) {
    final Map<String, String> months = names(locale);
    final Matcher m = WORD.matcher(text);
    final StringBuilder out = new StringBuilder();
    boolean changed = false;
    while (m.find()) {
      final String key = key(m.group());
      final String english = months.get(key);
      if (english != null) {
        m.appendReplacement(out, english.isEmpty() ? "" : Matcher.quoteReplacement(english));
        changed = true;
      }
    }
    if (!changed) {
      return null;
    }
    m.appendTail(out);
    // "Sex, 05 ..." lost its day name: the comma it left, and "3." day numbers, go too.
    return out.toString().replaceFirst("^\\s*,\\s*", "").replaceAll("(\\d{1,2})\\.(?=\\s)", "$1").replaceAll("\\s+", " ").strip();
  }

  private static final Map<Locale, Map<String, String>> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

  /** Month names (full and short) to English short ones, and day names to "": from the JDK's data. */
  private static Map<String, String> names(final Locale locale) {
    return NAMES.computeIfAbsent(
        locale,
        l -> {
          final Map<String, String> map = new LinkedHashMap<>();
          for (final java.time.DayOfWeek day : java.time.DayOfWeek.values()) {
            for (final TextStyle style : new TextStyle[] {TextStyle.FULL, TextStyle.SHORT, TextStyle.FULL_STANDALONE, TextStyle.SHORT_STANDALONE}) {
              map.put(key(day.getDisplayName(style, l)), "");
            }
          }
          for (final Month month : Month.values()) {
            final String english = month.getDisplayName(TextStyle.SHORT, Locale.US);
            for (final TextStyle style : new TextStyle[] {TextStyle.FULL, TextStyle.SHORT, TextStyle.FULL_STANDALONE, TextStyle.SHORT_STANDALONE}) {
              final String name = key(month.getDisplayName(style, l));
              map.put(name, english);
              // Feeds abbreviate to three letters whatever the locale's own short form is.
              if (name.length() > 3) {
                map.putIfAbsent(name.substring(0, 3), english);
              }
            }
          }
          return Map.copyOf(map);
        });
  }

  /** Lower case, accents and a final dot dropped: "Dez.", "dez" and "Déc." meet their table entries. */
  private static String key(final String word) {
    final String plain = Normalizer.normalize(word, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    final String lower = plain.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
