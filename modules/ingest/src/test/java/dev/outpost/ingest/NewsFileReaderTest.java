package dev.outpost.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.NewsItem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewsFileReaderTest {

  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
  private final NewsFileReader reader = new NewsFileReader(Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void readsJsonLinesWithDefaults() {
    final List<NewsItem> items =
        reader.parse(
            "feed.jsonl",
            "{\"id\":\"a\",\"title\":\"One\",\"body\":\"b\",\"url\":\"https://x.test/1\",\"publishedAt\":\"2025-09-03T09:00:00+08:00\"}\n"
                + "\n"
                + "{\"title\":\"Two\",\"source\":\"wire\",\"publishedAt\":1756861200000,\"language\":\"en\"}\n",
            NewsFileReader.Format.AUTO,
            "feed.jsonl");

    assertThat(items).hasSize(2);
    assertThat(items.get(0).getId()).isEqualTo("a");
    assertThat(items.get(0).getSource()).isEqualTo("feed.jsonl");
    assertThat(items.get(0).getUrl()).isEqualTo("https://x.test/1");
    assertThat(items.get(0).getPublishedAt()).isEqualTo(Instant.parse("2025-09-03T01:00:00Z"));
    assertThat(items.get(0).getLanguage()).isEqualTo("und");
    assertThat(items.get(0).getIngestedAt()).isEqualTo(NOW);
    assertThat(items.get(1).getSource()).isEqualTo("wire");
    assertThat(items.get(1).getBody()).isEmpty();
    assertThat(items.get(1).getPublishedAt()).isEqualTo(Instant.ofEpochMilli(1756861200000L));
    assertThat(items.get(1).getId()).hasSize(32);
  }

  @Test
  void derivedIdsAreStableAndDistinct() {
    final String line = "{\"title\":\"Same\",\"body\":\"text\"}\n";
    final String first = reader.parse("a.jsonl", line, NewsFileReader.Format.JSONL, "s").get(0).getId();
    final String again = reader.parse("a.jsonl", line, NewsFileReader.Format.JSONL, "s").get(0).getId();
    final String other =
        reader.parse("a.jsonl", "{\"title\":\"Other\"}", NewsFileReader.Format.JSONL, "s").get(0).getId();

    assertThat(first).isEqualTo(again).isNotEqualTo(other);
  }

  @Test
  void unknownJsonFieldIsNamed() {
    assertThatThrownBy(
            () -> reader.parse("f.jsonl", "{\"title\":\"t\",\"headline\":\"h\"}", NewsFileReader.Format.AUTO, "s"))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("f.jsonl:1: unknown field 'headline'");
  }

  @Test
  void aBadDateIsNamedWithItsLineAndTheOtherLinesStillRead() {
    final ParsedItems parsed =
        reader.parseAll(
            "f.jsonl",
            "{\"id\":\"a\",\"title\":\"One\",\"publishedAt\":\"yesterday\"}\n{\"id\":\"b\",\"title\":\"Two\",\"publishedAt\":\"2025-09-03T09:00:00Z\"}\n",
            NewsFileReader.Format.AUTO,
            "s");

    assertThat(parsed.items()).extracting(item -> item.getId()).containsExactly("b");
    assertThat(parsed.problems()).singleElement().asString().contains("f.jsonl:1", "publishedAt", "'yesterday'");
  }

  @Test
  void nonStringFieldIsNamed() {
    assertThatThrownBy(() -> reader.parse("f.jsonl", "{\"title\":42}", NewsFileReader.Format.AUTO, "s"))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("f.jsonl:1: field 'title' must be a string");
  }

  @Test
  void plainTextUsesTheFirstLineAsTitle() {
    final NewsItem item =
        reader.parse("article.txt", "\n  Troops move north \nFirst paragraph.\n\nSecond.\n", NewsFileReader.Format.AUTO, "desk").get(0);

    assertThat(item.getTitle()).isEqualTo("Troops move north");
    assertThat(item.getBody()).isEqualTo("First paragraph.\n\nSecond.");
    assertThat(item.getSource()).isEqualTo("desk");
    assertThat(item.getPublishedAt()).isNull();
  }

  @Test
  void plainTextHeadersSetTheFields() {
    final NewsItem item =
        reader.parse(
            "article.txt",
            "Title: Drills begin\nSource: Wire\nURL: https://x.test/a\nPublished: 2025-09-03T08:00:00Z\nLanguage: en\n\nBody here.",
            NewsFileReader.Format.TEXT,
            "desk").get(0);

    assertThat(item.getTitle()).isEqualTo("Drills begin");
    assertThat(item.getSource()).isEqualTo("Wire");
    assertThat(item.getUrl()).isEqualTo("https://x.test/a");
    assertThat(item.getLanguage()).isEqualTo("en");
    assertThat(item.getPublishedAt()).isEqualTo(Instant.parse("2025-09-03T08:00:00Z"));
    assertThat(item.getBody()).isEqualTo("Body here.");
  }

  @Test
  void emptyArticleIsRefused() {
    assertThatThrownBy(() -> reader.parse("empty.txt", "\n \n", NewsFileReader.Format.AUTO, "s"))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("empty.txt")
        .hasMessageContaining("empty");
  }

  @Test
  void fileWithOnlyBlankLinesHoldsNoItems() {
    assertThatThrownBy(() -> reader.parse("blank.jsonl", "\n\n", NewsFileReader.Format.JSONL, "s"))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("holds no news items");
  }

  @Test
  void aFeedFileIsReadInTheEncodingItDeclaresAndJsonLinesMustBeUtf8(@TempDir final Path dir) throws IOException {
    final Path feed = dir.resolve("jornal.xml");
    Files.write(
        feed,
        ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>Jornal</title>"
                + "<item><title>Exército em manobras</title></item></channel></rss>")
            .getBytes(StandardCharsets.ISO_8859_1));
    assertThat(reader.read(feed, NewsFileReader.Format.AUTO, "s")).extracting(NewsItem::getTitle).containsExactly("Exército em manobras");

    final Path lines = dir.resolve("items.jsonl");
    Files.write(lines, "{\"title\": \"Exército em manobras\"}\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> reader.read(lines, NewsFileReader.Format.AUTO, "s"))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("items.jsonl")
        .hasMessageContaining("not valid UTF-8");
  }
}
