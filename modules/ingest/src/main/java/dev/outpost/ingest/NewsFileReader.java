package dev.outpost.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.ingest.internal.FeedParser;
import dev.outpost.ingest.internal.NewsItems;
import dev.outpost.model.NewsItem;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads news items from a file, in one of two formats.
 *
 * <p><b>JSON Lines</b> ({@code .jsonl}, {@code .ndjson}, or any file whose first non-blank
 * character is <code>{</code>): one JSON object per line with {@code title} (required), {@code
 * body}, {@code id}, {@code source}, {@code url}, {@code language} and {@code publishedAt} (ISO-8601
 * or epoch milliseconds). Blank lines are skipped.
 *
 * <p><b>Plain text</b>: one article. Optional header lines at the top, {@code Title:}, {@code
 * Source:}, {@code URL:}, {@code Language:}, {@code Published:}, end at the first blank line.
 * Without a {@code Title:} header the first non-blank line is the title. The rest is the body.
 *
 * <p>The whole file is checked before anything is returned: every problem is reported with its
 * line number, so nothing is half-published.
 */
public final class NewsFileReader {

  /** The formats {@code --format} accepts. */
  public enum Format {
    /** Decide from the file name and content. */
    AUTO,
    /** JSON Lines. */
    JSONL,
    /** One plain-text article. */
    TEXT,
    /** An RSS or Atom feed. */
    FEED
  }

  private static final int MAX_REPORTED_PROBLEMS = 10;
  private static final Set<String> JSON_FIELDS =
      Set.of("id", "source", "url", "title", "body", "language", "publishedAt");
  private static final Map<String, String> TEXT_HEADERS =
      Map.of(
          "title", "title",
          "source", "source",
          "url", "url",
          "language", "language",
          "published", "publishedAt");

  private final ObjectMapper json = new ObjectMapper();
  private final Clock clock;

  /**
   * @param clock gives {@code ingestedAt}
   */
  public NewsFileReader(final Clock clock) {
    this.clock = clock;
  }

  /**
   * @param file the file to read
   * @param format its format, or {@link Format#AUTO}
   * @param defaultSource the source of items that don't name one
   * @return the items, in file order
   * @throws IngestException naming the file, the line and the problem
   */
  public List<NewsItem> read(final Path file, final Format format, final String defaultSource) {
    final ParsedItems parsed = parseAll(file.toString(), readBytes(file, InputLimit.DEFAULT), null, format, defaultSource);
    if (!parsed.problems().isEmpty()) {
      throw new IngestException(report(file.toString(), parsed.problems(), ", nothing was published"));
    }
    if (parsed.items().isEmpty()) {
      throw new IngestException("Input '" + file + "' holds no news items");
    }
    return parsed.items();
  }

  /**
   * @param file a file
   * @param limit the most bytes it may hold
   * @return its bytes
   * @throws IngestException when it is missing, unreadable or over the limit
   */
  public static byte[] readBytes(final Path file, final InputLimit limit) {
    if (!Files.isRegularFile(file)) {
      throw new IngestException("Input file '" + file + "' does not exist or is not a file");
    }
    try {
      return limit.readFile(file);
    } catch (final IOException e) {
      throw new IngestException("Cannot read input file '" + file + "': " + e.getMessage(), e);
    }
  }

  /**
   * Parses everything that parses from bytes as stored or served. A feed is decoded as its
   * byte-order mark, the HTTP header or its XML prolog says; JSON Lines and text must be UTF-8.
   *
   * @param origin a file name or URL (without credentials), used to detect the format, in
   *     messages, and, for a URL, to resolve a feed's relative links
   * @param content the bytes
   * @param contentType the HTTP Content-Type, or null for a file
   * @param format its format, or {@link Format#AUTO}
   * @param defaultSource the source of items that don't name one
   * @return the good items (each id once), the bad entries and the repeats skipped
   * @throws IngestException when the input as a whole cannot be read
   */
  public ParsedItems parseAll(
      final String origin, final byte[] content, final String contentType, final Format format, final String defaultSource) {
    final Format actual = format == Format.AUTO ? detect(origin, content) : format;
    if (actual == Format.FEED) {
      final String address = origin.startsWith("http://") || origin.startsWith("https://") ? origin : null;
      try {
        return FeedParser.parse(origin, content, contentType, address, defaultSource, clock.instant());
      } catch (final IllegalArgumentException e) {
        throw new IngestException(e.getMessage(), e);
      }
    }
    final String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(content)).toString();
    } catch (final CharacterCodingException e) {
      throw new IngestException("Input '" + origin + "' is not valid UTF-8 text (JSON Lines and text must be; a feed may declare its encoding)", e);
    }
    return parseAll(origin, text.startsWith("\uFEFF") ? text.substring(1) : text, actual, defaultSource);
  }

  /** The format from the name, else from the first bytes after a byte-order mark and white space. */
  private static Format detect(final String origin, final byte[] content) {
    final Format byName = byName(Path.of(origin.replaceAll("[?#].*$", "").replaceAll("^[a-z]+://", "")));
    if (byName != null) {
      return byName;
    }
    int i = 0;
    if (content.length >= 3 && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB && (content[2] & 0xFF) == 0xBF) {
      i = 3;
    } else if (content.length >= 2 && ((content[0] & 0xFF) == 0xFE || (content[0] & 0xFF) == 0xFF)) {
      // UTF-16: of the formats read, only XML may be written in it.
      return Format.FEED;
    }
    while (i < content.length && (content[i] == ' ' || content[i] == '\t' || content[i] == '\r' || content[i] == '\n')) {
      i++;
    }
    if (i < content.length && content[i] == '<') {
      return Format.FEED;
    }
    return i < content.length && content[i] == '{' ? Format.JSONL : Format.TEXT;
  }

  /**
   * Parses news items from text already in memory.
   *
   * @param origin a file name or label, used to detect the format and in error messages
   * @param content the text
   * @param format its format, or {@link Format#AUTO}
   * @param defaultSource the source of items that don't name one
   * @return the items, in order
   * @throws IngestException naming the origin, the line and the problem
   */
  public List<NewsItem> parse(
      final String origin, final String content, final Format format, final String defaultSource) {
    final ParsedItems parsed = parseAll(origin, content, format, defaultSource);
    if (!parsed.problems().isEmpty()) {
      throw new IngestException(report(origin, parsed.problems(), ", nothing was published"));
    }
    if (parsed.items().isEmpty()) {
      throw new IngestException("Input '" + origin + "' holds no news items");
    }
    return parsed.items();
  }

  /**
   * Parses everything that parses, and lists what does not, with its position.
   *
   * @param origin a file name, URL or label, used to detect the format and in messages
   * @param content the text
   * @param format its format, or {@link Format#AUTO}
   * @param defaultSource the source of items that don't name one
   * @return the good items (each id once), the bad entries and the repeats skipped
   * @throws IngestException when the input as a whole cannot be read (a feed whose XML breaks)
   */
  public ParsedItems parseAll(
      final String origin, final String content, final Format format, final String defaultSource) {
    final Format actual = format == Format.AUTO ? detect(Path.of(origin.replaceAll("[?#].*$", "").replaceAll("^[a-z]+://", "")), content) : format;
    return switch (actual) {
      case JSONL -> readJsonLines(origin, content, defaultSource);
      case FEED -> {
        try {
          yield FeedParser.parse(origin, content, defaultSource, clock.instant());
        } catch (final IllegalArgumentException e) {
          throw new IngestException(e.getMessage(), e);
        }
      }
      default -> new ParsedItems(List.of(readText(Path.of(origin), content, defaultSource)), List.of(), 0);
    };
  }

  /**
   * @param origin the input
   * @param problems its bad entries
   * @param consequence what happened because of them, such as ", nothing was published"
   * @return a message listing the first few
   */
  public static String report(final String origin, final List<String> problems, final String consequence) {
    final StringBuilder message =
        new StringBuilder(problems.size() + " bad entr" + (problems.size() == 1 ? "y" : "ies") + " in '" + origin + "'" + consequence + ":");
    problems.stream().limit(MAX_REPORTED_PROBLEMS).forEach(p -> message.append("\n  ").append(p));
    if (problems.size() > MAX_REPORTED_PROBLEMS) {
      message.append("\n  ... and ").append(problems.size() - MAX_REPORTED_PROBLEMS).append(" more");
    }
    return message.toString();
  }

  static Format detect(final Path file, final String content) {
    final Format byName = byName(file);
    if (byName != null) {
      return byName;
    }
    final String start = content.stripLeading();
    if (start.startsWith("<")) {
      return Format.FEED;
    }
    return start.startsWith("{") ? Format.JSONL : Format.TEXT;
  }

  private static Format byName(final Path file) {
    final Path fileName = file.getFileName();
    final String name = fileName == null ? "" : fileName.toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return Format.JSONL;
    }
    if (name.endsWith(".txt") || name.endsWith(".text")) {
      return Format.TEXT;
    }
    if (name.endsWith(".xml") || name.endsWith(".rss") || name.endsWith(".atom") || name.endsWith(".rdf")) {
      return Format.FEED;
    }
    return null;
  }

  private ParsedItems readJsonLines(final String origin, final String content, final String defaultSource) {
    final List<NewsItem> items = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    final java.util.Set<String> ids = new java.util.HashSet<>();
    int repeats = 0;
    final String[] lines = content.split("\\R", -1);
    final Instant now = clock.instant();
    for (int i = 0; i < lines.length; i++) {
      final String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      final String where = origin + ":" + (i + 1);
      try {
        final NewsItem item = fromJson(json.readTree(line), defaultSource, now);
        if (ids.add(item.getId())) {
          items.add(item);
        } else {
          repeats++;
        }
      } catch (final JsonProcessingException e) {
        problems.add(where + ": not a JSON object: " + e.getOriginalMessage());
      } catch (final IllegalArgumentException e) {
        problems.add(where + ": " + e.getMessage());
      }
    }
    return new ParsedItems(items, problems, repeats);
  }

  private static NewsItem fromJson(final JsonNode node, final String defaultSource, final Instant now) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("expected a JSON object, got " + node.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (!JSON_FIELDS.contains(name)) {
                throw new IllegalArgumentException(
                    "unknown field '" + name + "' (known: " + String.join(", ", JSON_FIELDS.stream().sorted().toList()) + ")");
              }
            });
    final String title = text(node, "title");
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("missing field 'title'");
    }
    final String source = text(node, "source");
    final JsonNode published = node.get("publishedAt");
    final Instant publishedAt;
    if (published == null || published.isNull()) {
      publishedAt = null;
    } else if (published.isIntegralNumber()) {
      publishedAt = Instant.ofEpochMilli(published.asLong());
    } else {
      publishedAt = parseInstant(published.asText(), "publishedAt");
    }
    final String body = text(node, "body");
    return NewsItems.create(
        text(node, "id"),
        source == null || source.isBlank() ? defaultSource : source,
        text(node, "url"),
        title.strip(),
        body == null ? "" : body,
        text(node, "language"),
        publishedAt,
        now);
  }

  private static String text(final JsonNode node, final String field) {
    final JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' must be a string");
    }
    return value.asText();
  }

  private NewsItem readText(final Path file, final String content, final String defaultSource) {
    final String[] lines = content.split("\\R", -1);
    final Map<String, String> headers = new java.util.HashMap<>();
    int i = 0;
    while (i < lines.length && !lines[i].isBlank()) {
      final String line = lines[i];
      final int colon = line.indexOf(':');
      final String name = colon > 0 ? line.substring(0, colon).strip().toLowerCase(Locale.ROOT) : "";
      if (!TEXT_HEADERS.containsKey(name)) {
        break;
      }
      headers.put(TEXT_HEADERS.get(name), line.substring(colon + 1).strip());
      i++;
    }
    while (i < lines.length && lines[i].isBlank()) {
      i++;
    }
    String title = headers.get("title");
    if (title == null) {
      if (i >= lines.length) {
        throw new IngestException("Input file '" + file + "' is empty: a text article needs at least a title line");
      }
      title = lines[i].strip();
      i++;
    } else if (title.isEmpty()) {
      throw new IngestException(file + ": the Title: header is empty");
    }
    final String body = String.join("\n", java.util.Arrays.asList(lines).subList(i, lines.length)).strip();
    Instant publishedAt = null;
    if (headers.get("publishedAt") != null) {
      try {
        publishedAt = parseInstant(headers.get("publishedAt"), "Published");
      } catch (final IllegalArgumentException e) {
        throw new IngestException(file + ": " + e.getMessage(), e);
      }
    }
    final String source =
        headers.getOrDefault(
            "source", defaultSource != null ? defaultSource : file.getFileName().toString());
    return NewsItems.create(
        null,
        source,
        headers.get("url"),
        title,
        body,
        headers.get("language"),
        publishedAt,
        clock.instant());
  }

  private static Instant parseInstant(final String value, final String field) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (final DateTimeParseException e) {
      try {
        return Instant.parse(value);
      } catch (final DateTimeParseException e2) {
        throw new IllegalArgumentException(
            "field '" + field + "' is not an ISO-8601 timestamp such as 2025-09-03T09:00:00Z: '" + value + "'", e2);
      }
    }
  }
}
