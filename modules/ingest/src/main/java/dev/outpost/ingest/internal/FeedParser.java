package dev.outpost.ingest.internal;

import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedInput;
import com.rometools.rome.io.WireFeedInput;
import com.rometools.rome.io.XmlReader;
import com.rometools.rome.io.impl.XmlFixerReader;
import dev.outpost.ingest.ParsedItems;
import dev.outpost.model.NewsItem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jdom2.Document;
import org.jdom2.Element;
import org.jdom2.JDOMException;
import org.jdom2.Namespace;
import org.jdom2.input.JDOMParseException;
import org.jsoup.Jsoup;
import org.jsoup.parser.Parser;

/**
 * Reads RSS (0.9x, 1.0, 2.0) and Atom feeds with Rome, as real feeds come: with or without a
 * byte-order mark, in the encoding the HTTP header, the mark or the XML prolog declares (UTF-8
 * when none does), with HTML and entities in their texts, relative links and dates written in the
 * feed's own language. Each entry becomes a news item:
 *
 * <ul>
 *   <li>id: the entry's GUID (RSS) or id (Atom), else a hash of the feed and its link, else of its
 *       text, so the same entry read again keeps its id;
 *   <li>title and body: the entry's title and its content or description, as plain text;
 *   <li>url: the entry's link, resolved against the feed's address or site when it is relative;
 *   <li>publishedAt: the entry's published date, else its updated date, else none.
 * </ul>
 *
 * <p>An entry with neither title nor text is bad and reported with its position; an entry whose
 * id an earlier entry had is skipped. A document that is not a feed at all (truncated or broken
 * XML) fails as a whole, with the line and column.
 */
public final class FeedParser {

  /** The namespace of RSS 2.0 as UserLand once published it, which Rome reads as such. */
  private static final String USERLAND_RSS2 = "http://backend.userland.com/rss2";

  private FeedParser() {}

  /**
   * @param origin the file or URL, for messages
   * @param content the feed's text, already decoded
   * @param defaultSource the source when the feed has no title
   * @param now the ingestion time
   * @return the items, the bad entries and the repeats
   * @throws IllegalArgumentException naming the origin and where the XML breaks
   */
  public static ParsedItems parse(
      final String origin, final String content, final String defaultSource, final Instant now) {
    // A byte-order mark that survived decoding is not content.
    final String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
    return parse(origin, document(origin, new StringReader(withoutControlCharacters(text))), null, defaultSource, now);
  }

  /**
   * @param origin the file or URL, for messages
   * @param content the feed's bytes, as stored or served
   * @param contentType the HTTP Content-Type header, whose charset counts; null for a file
   * @param address the URL the feed was fetched from, that relative links are resolved against;
   *     null for a file
   * @param defaultSource the source when the feed has no title
   * @param now the ingestion time
   * @return the items, the bad entries and the repeats
   * @throws IllegalArgumentException naming the origin and what is wrong: the encoding or where
   *     the XML breaks
   */
  public static ParsedItems parse(
      final String origin,
      final byte[] content,
      final String contentType,
      final String address,
      final String defaultSource,
      final Instant now) {
    final String encoding;
    try (XmlReader reader =
        contentType == null
            ? new XmlReader(new ByteArrayInputStream(content), true, "UTF-8")
            : new XmlReader(new ByteArrayInputStream(content), contentType, true, "UTF-8")) {
      // Lenient: a charset the header and the prolog disagree on is settled as browsers do.
      encoding = reader.getEncoding();
    } catch (final IOException e) {
      throw new IllegalArgumentException(origin + ": cannot tell the feed's encoding: " + e.getMessage(), e);
    }
    String text = decode(content, encoding);
    if (text == null && encoding.equalsIgnoreCase("UTF-8")) {
      // Declared or assumed UTF-8 but written in a single-byte Western encoding, as older feeds
      // often are: windows-1252, the superset of Latin-1 that browsers read such text as.
      text = decode(content, "windows-1252");
    }
    if (text == null) {
      throw new IllegalArgumentException(origin + ": not readable as " + encoding + ", the encoding it declares");
    }
    // A byte-order mark is not content; the prolog's encoding was honoured above.
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return parse(origin, document(origin, new StringReader(withoutControlCharacters(text))), address, defaultSource, now);
  }

  /** C0 control characters other than tab and line ends: XML forbids them, feeds carry them. */
  private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]");

  static String withoutControlCharacters(final String text) {
    return CONTROL.matcher(text).find() ? CONTROL.matcher(text).replaceAll("") : text;
  }

  /** The bytes in that charset, or null when they are not valid in it. */
  private static String decode(final byte[] content, final String charset) {
    try {
      return Charset.forName(charset)
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content))
          .toString();
    } catch (final CharacterCodingException | IllegalArgumentException e) {
      return null;
    }
  }

  private static ParsedItems parse(
      final String origin, final Document document, final String address, final String defaultSource, final Instant now) {
    final SyndFeed feed = feed(origin, document, Locale.US);
    final String source =
        feed.getTitle() != null && !feed.getTitle().isBlank() ? text(feed.getTitle()) : defaultSource;
    final URI base = base(address, feed.getLink());
    final List<SyndEntry> entries = feed.getEntries();
    final FeedEntries facts = new FeedEntries(document, entries.size(), feed.getLanguage());
    final List<NewsItem> items = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    final Set<String> ids = new HashSet<>();
    int repeats = 0;
    int position = 0;
    for (final SyndEntry entry : entries) {
      position++;
      final String title = text(entry.getTitle());
      final String body = body(entry);
      if (title.isEmpty() && body.isEmpty()) {
        problems.add(origin + ": entry " + position + ": no title and no text");
        continue;
      }
      final String link = facts.link(position - 1, base, entry.getLink());
      final String guid = entry.getUri() == null || entry.getUri().isBlank() ? null : entry.getUri().strip();
      final String id =
          guid != null ? NewsItems.deriveId(source, guid, "", "") : NewsItems.deriveId(source, link, title, body);
      if (!ids.add(id)) {
        repeats++;
        continue;
      }
      final Date date = entry.getPublishedDate() != null ? entry.getPublishedDate() : entry.getUpdatedDate();
      final Instant published = date != null ? date.toInstant() : facts.date(position - 1);
      items.add(
          NewsItems.create(
              id,
              source,
              link,
              title.isEmpty() ? firstWords(body) : title,
              body,
              feed.getLanguage(),
              published,
              now));
    }
    return new ParsedItems(items, problems, repeats);
  }

  /** Reads the XML as Rome does, with DOCTYPEs refused: a feed cannot make Outpost read local files. */
  private static Document document(final String origin, final Reader reader) {
    final SecureInput input = new SecureInput();
    try {
      // The healer Rome puts before its own parsing: undeclared HTML entities, space before the prolog.
      return input.saxBuilder().build(new XmlFixerReader(reader));
    } catch (final JDOMParseException e) {
      throw new IllegalArgumentException(
          origin + ":" + e.getLineNumber() + ":" + e.getColumnNumber() + ": not a readable feed: " + e.getMessage(), e);
    } catch (final JDOMException e) {
      throw new IllegalArgumentException(origin + ": not a readable feed: " + e.getMessage(), e);
    } catch (final IOException e) {
      // The reader decodes as it goes: a byte sequence the encoding cannot hold shows up here.
      throw new IllegalArgumentException(origin + ": not readable in its declared encoding: " + e.getMessage(), e);
    }
  }

  private static SyndFeed feed(final String origin, final Document document, final Locale locale) {
    final Element root = document.getRootElement();
    // An RSS root in a namespace no RSS version uses ("<rss xmlns=...>") puts every element in it,
    // where Rome looks for none: its elements are RSS's own, so they are read without it.
    if (root.getName().equals("rss") && !root.getNamespaceURI().isEmpty() && !root.getNamespaceURI().equals(USERLAND_RSS2)) {
      withoutNamespace(root, root.getNamespace());
    }
    try {
      return new SyndFeedInput(false, locale).build(document);
    } catch (final FeedException | RuntimeException e) {
      // Rome fails on some malformed feeds with an exception of its own making (a null channel):
      // whatever it is, it is this document's fault, named with what the document is.
      throw new IllegalArgumentException(
          origin + ": not an RSS or Atom feed (root element <" + root.getQualifiedName() + ">"
              + (root.getNamespaceURI().isEmpty() ? "" : " in namespace " + root.getNamespaceURI()) + "): "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
          e);
    }
  }

  private static void withoutNamespace(final Element element, final Namespace namespace) {
    if (element.getNamespace().equals(namespace)) {
      element.setNamespace(Namespace.NO_NAMESPACE);
    }
    for (final Element child : element.getChildren()) {
      withoutNamespace(child, namespace);
    }
  }

  /** The address relative links are resolved against: the feed's own URL, else its site's. */
  private static URI base(final String address, final String siteLink) {
    for (final String candidate : new String[] {address, siteLink}) {
      final URI uri = absoluteHttp(candidate);
      if (uri != null) {
        return uri;
      }
    }
    return null;
  }

  static URI absoluteHttp(final String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      final URI uri = new URI(value.strip());
      final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null ? uri : null;
    } catch (final URISyntaxException e) {
      return null;
    }
  }

  /** The link as given when absolute or unresolvable, else resolved against the base. */
  static String resolve(final URI base, final String link) {
    if (link == null || link.isBlank()) {
      return null;
    }
    final String stripped = link.strip();
    if (base == null || absoluteHttp(stripped) != null) {
      return stripped;
    }
    try {
      final URI relative = new URI(stripped);
      return relative.isAbsolute() ? stripped : base.resolve(relative).toString();
    } catch (final URISyntaxException | IllegalArgumentException e) {
      return stripped;
    }
  }

  private static String body(final SyndEntry entry) {
    final StringBuilder text = new StringBuilder();
    for (final SyndContent c : entry.getContents()) {
      text.append(text(c.getValue())).append('\n');
    }
    if (text.toString().isBlank() && entry.getDescription() != null) {
      text.append(text(entry.getDescription().getValue()));
    }
    return text.toString().strip();
  }

  /** An entity still in a text after its HTML was read: the feed escaped it twice. */
  private static final Pattern LEFT_ENTITY = Pattern.compile("&(#\\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");

  /** Markup removed, every HTML entity decoded, whitespace collapsed. */
  static String text(final String html) {
    if (html == null || html.isBlank()) {
      return "";
    }
    // Plain text is the common case; HTML goes through a real HTML parser.
    String plain = html.indexOf('<') < 0 && html.indexOf('&') < 0 ? html : Jsoup.parseBodyFragment(html).text();
    // Feeds that escape their HTML twice leave "&#8217;" or "&amp;" in the text; news never
    // means those literally, so they are decoded once more.
    if (LEFT_ENTITY.matcher(plain).find()) {
      plain = Parser.unescapeEntities(plain, false);
    }
    return plain.replace('\u00A0', ' ').replaceAll("\\s+", " ").strip();
  }

  private static String firstWords(final String body) {
    return body.length() <= 120 ? body : body.substring(0, body.lastIndexOf(' ', 120) > 0 ? body.lastIndexOf(' ', 120) : 120) + "…";
  }

  /** Rome's input with its safe SAX settings, so the document can be read once and parsed twice. */
  private static final class SecureInput extends WireFeedInput {
    SecureInput() {
      setAllowDoctypes(false);
    }

    com.rometools.rome.io.SAXBuilder saxBuilder() {
      return createSAXBuilder();
    }
  }
}
