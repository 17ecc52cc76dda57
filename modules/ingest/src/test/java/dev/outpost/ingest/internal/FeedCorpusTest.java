package dev.outpost.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.ingest.ParsedItems;
import dev.outpost.model.NewsItem;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real feeds as sites served them, read whole: every entry becomes an item, with a title, an
 * absolute link and, where the feed dates it, a date.
 *
 * <p>{@code feeds/corpus.tsv} names each file of {@code feeds/corpus/}, its SHA-256, where it was
 * captured and what it must give; {@code feeds/NOTICE.md} says where each comes from and under
 * which licence.
 */
class FeedCorpusTest {

  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  /** An entity left in a text: decoding missed it. */
  private static final Pattern ENTITY = Pattern.compile("&(#\\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});");

  /** A tag left in a title. */
  private static final Pattern TAG = Pattern.compile("</?[a-zA-Z][a-zA-Z0-9]*(\\s[^>]*)?/?>");

  record Feed(String file, String sha256, int items, int dated, String address, String source, String format, String language, String encoding) {
    @Override
    public String toString() {
      return file;
    }
  }

  static List<Feed> feeds() throws IOException {
    final List<Feed> feeds = new ArrayList<>();
    try (InputStream in = FeedCorpusTest.class.getResourceAsStream("/feeds/corpus.tsv")) {
      final String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
      for (int i = 1; i < lines.length; i++) {
        if (lines[i].isBlank()) {
          continue;
        }
        final String[] c = lines[i].split("\t", -1);
        feeds.add(new Feed(c[0], c[1], Integer.parseInt(c[2]), Integer.parseInt(c[3]), c[4].isEmpty() ? null : c[4], c[5], c[7], c[8], c[9]));
      }
    }
    return feeds;
  }

  private static byte[] read(final String file) throws IOException {
    try (InputStream in = FeedCorpusTest.class.getResourceAsStream("/feeds/corpus/" + file)) {
      assertThat(in).as("feeds/corpus/%s, named in corpus.tsv", file).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void theManifestCoversTheFormatsLanguagesAndEncodingsRealFeedsCome() throws IOException {
    final List<Feed> feeds = feeds();

    assertThat(feeds).hasSizeGreaterThanOrEqualTo(20);
    assertThat(feeds.stream().map(Feed::format).collect(Collectors.toSet()))
        .contains("rss090", "rss091", "rss092", "rss10", "rss20", "atom03", "atom10");
    assertThat(feeds.stream().map(Feed::language).collect(Collectors.toSet())).hasSizeGreaterThanOrEqualTo(8);
    final Set<String> encodings =
        feeds.stream().map(f -> f.encoding().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.toSet());
    assertThat(encodings).anyMatch(e -> e.contains("bom")).anyMatch(e -> e.contains("8859")).anyMatch(e -> e.contains("1251"))
        .anyMatch(e -> e.contains("shift_jis")).anyMatch(e -> e.contains("gb2312"));
    assertThat(feeds).allSatisfy(f -> assertThat(f.source()).startsWith("github:").contains("@"));
  }

  @Test
  void everyFileOfTheCorpusIsInTheManifest() throws IOException, URISyntaxException {
    final Path directory = Path.of(FeedCorpusTest.class.getResource("/feeds/corpus").toURI());
    final Set<String> files;
    try (Stream<Path> listed = Files.list(directory)) {
      files = listed.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }

    assertThat(files).containsExactlyInAnyOrderElementsOf(feeds().stream().map(Feed::file).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("feeds")
  void everyEntryOfARealFeedBecomesAnItemWithATitleAnAbsoluteLinkAndItsDate(final Feed feed) throws IOException {
    final byte[] bytes = read(feed.file());
    assertThat(sha256(bytes)).as("%s is the file the manifest names", feed.file()).isEqualTo(feed.sha256());

    final ParsedItems parsed = FeedParser.parse(feed.file(), bytes, null, feed.address(), "fallback", NOW);

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.items().size() + parsed.repeats()).as("entries read").isEqualTo(feed.items());
    assertThat(parsed.items().stream().filter(i -> i.getPublishedAt() != null).count()).as("entries dated").isEqualTo(feed.dated());
    for (final NewsItem item : parsed.items()) {
      assertThat(item.getTitle()).isNotBlank().doesNotContainPattern(TAG).doesNotContainPattern(ENTITY);
      assertThat(item.getBody()).doesNotContainPattern(ENTITY);
      if (item.getUrl() != null) {
        assertThat(item.getUrl()).as(item.getTitle()).matches("https?://[^/\\s]+.*");
      }
      if (item.getPublishedAt() != null) {
        // A date read wrongly (a month swapped, a zone lost by a day) lands far from the feed's time.
        assertThat(item.getPublishedAt()).isBetween(Instant.parse("1999-01-01T00:00:00Z"), NOW);
      }
    }
  }

  private static String sha256(final byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
