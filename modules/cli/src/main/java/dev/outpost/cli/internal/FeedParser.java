package dev.outpost.cli.internal;

import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.ParsingFeedException;
import com.rometools.rome.io.SyndFeedInput;
import dev.outpost.model.NewsItem;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads RSS (0.9x, 1.0, 2.0) and Atom feeds with Rome. Each entry becomes a news item:
 *
 * <ul>
 *   <li>id: the entry's GUID (RSS) or id (Atom), else a hash of the feed and its link, else of its
 *       text, so the same entry read again keeps its id;
 *   <li>title and body: the entry's title and its content or description, markup removed;
 *   <li>publishedAt: the entry's published date, else its updated date, else none.
 * </ul>
 *
 * <p>An entry with neither title nor text is bad and reported with its position; an entry whose
 * id an earlier entry had is skipped. A document that is not a feed at all (truncated or broken
 * XML) fails as a whole, with the line and column.
 */
public final class FeedParser {

  private FeedParser() {}

  /**
   * @param origin the file or URL, for messages
   * @param content the feed's text
   * @param defaultSource the source when the feed has no title
   * @param now the ingestion time
   * @return the items, the bad entries and the repeats
   * @throws IllegalArgumentException naming the origin and where the XML breaks
   */
  public static ParsedItems parse(
      final String origin, final String content, final String defaultSource, final Instant now) {
    final SyndFeed feed;
    try {
      final SyndFeedInput input = new SyndFeedInput();
      // No DOCTYPEs, so no external entities: a feed cannot make Outpost read local files.
      input.setAllowDoctypes(false);
      feed = input.build(new StringReader(content));
    } catch (final ParsingFeedException e) {
      throw new IllegalArgumentException(
          origin + ":" + e.getLineNumber() + ":" + e.getColumnNumber() + ": not a readable feed: " + e.getMessage(), e);
    } catch (final FeedException | IllegalArgumentException e) {
      throw new IllegalArgumentException(origin + ": not an RSS or Atom feed: " + e.getMessage(), e);
    }
    final String source =
        feed.getTitle() != null && !feed.getTitle().isBlank() ? feed.getTitle().strip() : defaultSource;
    final List<NewsItem> items = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    final Set<String> ids = new HashSet<>();
    int repeats = 0;
    int position = 0;
    for (final SyndEntry entry : feed.getEntries()) {
      position++;
      final String title = text(entry.getTitle());
      final String body = body(entry);
      if (title.isEmpty() && body.isEmpty()) {
        problems.add(origin + ": entry " + position + ": no title and no text");
        continue;
      }
      final String link = entry.getLink() == null || entry.getLink().isBlank() ? null : entry.getLink().strip();
      final String guid = entry.getUri() == null || entry.getUri().isBlank() ? null : entry.getUri().strip();
      final String id =
          guid != null ? NewsItems.deriveId(source, guid, "", "") : NewsItems.deriveId(source, link, title, body);
      if (!ids.add(id)) {
        repeats++;
        continue;
      }
      final Instant published =
          entry.getPublishedDate() != null
              ? entry.getPublishedDate().toInstant()
              : entry.getUpdatedDate() != null ? entry.getUpdatedDate().toInstant() : null;
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

  /** Markup removed, entities of the common kinds decoded, whitespace collapsed. */
  static String text(final String html) {
    if (html == null) {
      return "";
    }
    return html.replaceAll("(?s)<[^>]*>", " ")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replaceAll("\\s+", " ")
        .strip();
  }

  private static String firstWords(final String body) {
    return body.length() <= 120 ? body : body.substring(0, body.lastIndexOf(' ', 120) > 0 ? body.lastIndexOf(' ', 120) : 120) + "…";
  }
}
