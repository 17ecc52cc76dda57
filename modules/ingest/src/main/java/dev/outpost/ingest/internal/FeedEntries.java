package dev.outpost.ingest.internal;

import com.rometools.rome.io.impl.DateParser;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.Normalizer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
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
import org.jdom2.Namespace;

/**
 * What a feed's XML says of each entry that Rome's model leaves out: the {@code xml:base} its links
 * are relative to, and its date as written, for the dates Rome cannot read.
 *
 * <p>Rome reads English month and day names only. A date such as "Sex, 05 Dez 2025 10:00:00
 * -0300" or "Mi, 3. Dez 2025 08:15 +0100" is read again with the month and day names of the
 * feed's language (or, when it names none, of the common European ones), taken from the JDK's
 * locale data and swapped for the English ones. A date written without a zone ("2020/1/10
 * 14:33:00", "Sat, Dec 16 2023 02:02:33 PM") is read in the zone of the feed's own date, when
 * the feed gives one with a zone, else as UTC.
 */
final class FeedEntries {

  /** The elements an entry's date is written in, in the order they are taken. */
  private static final List<String> DATE_ELEMENTS =
      List.of("pubDate", "published", "issued", "date", "updated", "modified", "created");

  /** Tried when the feed does not name its language. */
  private static final List<Locale> COMMON =
      List.of(Locale.GERMAN, Locale.FRENCH, Locale.ITALIAN, Locale.forLanguageTag("pt"), Locale.forLanguageTag("es"),
          Locale.forLanguageTag("nl"), Locale.forLanguageTag("pl"), Locale.forLanguageTag("tr"));

  /** The feed-level elements whose date shows the zone the feed writes in. */
  private static final List<String> FEED_DATE_ELEMENTS = List.of("pubDate", "lastBuildDate", "updated", "date", "modified");

  private final List<String> raw = new ArrayList<>();
  private final List<List<String>> bases = new ArrayList<>();
  private final List<Locale> locales;
  private final ZoneOffset zone;

  /**
   * @param document the feed's XML
   * @param entries how many entries Rome found; what is read here is used only when the count agrees
   * @param language the feed's declared language, or null
   */
  FeedEntries(final Document document, final int entries, final String language) {
    collect(document.getRootElement(), new ArrayList<>());
    if (raw.size() != entries) {
      raw.clear();
      bases.clear();
    }
    this.zone = feedZone(document.getRootElement());
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
  Instant date(final int entry) {
    if (entry >= raw.size() || raw.get(entry) == null) {
      return null;
    }
    return parse(raw.get(entry), locales, zone);
  }

  /**
   * @param entry the entry's position, from 0
   * @param base the feed's absolute address, or null
   * @param link the entry's link as Rome read it, or null
   * @return the link resolved against the {@code xml:base} values above and on the entry, and the
   *     feed's address; as given when it is absolute or nothing absolute is known
   */
  String link(final int entry, final URI base, final String link) {
    URI effective = base;
    if (entry < bases.size()) {
      for (final String value : bases.get(entry)) {
        effective = resolve(effective, value);
      }
    }
    return FeedParser.resolve(effective, link);
  }

  /** The base after an xml:base: resolved against the one before, or itself when absolute. */
  private static URI resolve(final URI base, final String value) {
    try {
      final URI uri = new URI(value.strip());
      if (uri.isAbsolute()) {
        return FeedParser.absoluteHttp(value);
      }
      return base == null ? null : base.resolve(uri);
    } catch (final URISyntaxException | IllegalArgumentException e) {
      return base;
    }
  }

  /** Entries are RSS items and Atom entries, in document order, as Rome lists them. */
  private void collect(final Element element, final List<String> xmlBases) {
    final List<String> here = withBase(xmlBases, element);
    for (final Element child : element.getChildren()) {
      if (child.getName().equals("item") || child.getName().equals("entry")) {
        raw.add(dateOf(child));
        bases.add(withBase(here, child));
      } else if (child.getName().equals("channel")) {
        collect(child, here);
      }
    }
  }

  private static List<String> withBase(final List<String> xmlBases, final Element element) {
    final String value = element.getAttributeValue("base", Namespace.XML_NAMESPACE);
    if (value == null || value.isBlank()) {
      return xmlBases;
    }
    final List<String> more = new ArrayList<>(xmlBases);
    more.add(value);
    return more;
  }

  /** The offset of the first zoned date the feed gives of itself, or null. */
  private static ZoneOffset feedZone(final Element root) {
    final List<Element> levels = new ArrayList<>();
    levels.add(root);
    final Element channel = root.getChildren().stream().filter(e -> e.getName().equals("channel")).findFirst().orElse(null);
    if (channel != null) {
      levels.add(channel);
    }
    for (final Element level : levels) {
      for (final Element child : level.getChildren()) {
        if (FEED_DATE_ELEMENTS.contains(child.getName()) && !child.getTextTrim().isEmpty()) {
          final ZoneOffset offset = offsetOf(child.getTextTrim());
          if (offset != null) {
            return offset;
          }
        }
      }
    }
    return null;
  }

  private static final Pattern OFFSET = Pattern.compile("(?:([+-])(\\d{2}):?(\\d{2})|\\b(GMT|UTC|UT|Z))\\s*$");

  private static ZoneOffset offsetOf(final String date) {
    final Matcher m = OFFSET.matcher(date);
    if (!m.find()) {
      return null;
    }
    if (m.group(4) != null) {
      return ZoneOffset.UTC;
    }
    final int seconds = (Integer.parseInt(m.group(2)) * 60 + Integer.parseInt(m.group(3))) * 60;
    return ZoneOffset.ofTotalSeconds(m.group(1).equals("-") ? -seconds : seconds);
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
  static Instant parse(final String text, final List<Locale> locales, final ZoneOffset zone) {
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
    return withoutZone(text, zone == null ? ZoneOffset.UTC : zone);
  }

  /** Date-times feeds write without a zone, English month names only. */
  private static final List<DateTimeFormatter> ZONELESS =
      List.of(
          "uuuu/M/d H:mm[:ss]",
          "uuuu-M-d H:mm[:ss]",
          "d.M.uuuu H:mm[:ss]",
          "EEE, MMM d uuuu hh:mm[:ss] a",
          "EEE, d MMM uuuu HH:mm[:ss]",
          "MMM d, uuuu h:mm[:ss] a")
          .stream()
          .map(p -> new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(p).toFormatter(Locale.US))
          .toList();

  private static Instant withoutZone(final String text, final ZoneOffset zone) {
    final String trimmed = text.strip();
    for (final DateTimeFormatter format : ZONELESS) {
      try {
        return LocalDateTime.parse(trimmed, format).toInstant(zone);
      } catch (final DateTimeParseException e) {
        // The next format, then none.
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
