package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.ingest.NewsFileReader;
import dev.outpost.model.NewsItem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The samples {@code outpost demo} publishes, bundled in the cli's jar, read as the demo reads them. */
class BundledSamplesTest {

  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
  private final NewsFileReader reader = new NewsFileReader(Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void bundledSeedArticleKeepsItsRealTitleAndText() throws IOException {
    final String text;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("samples/seed-article.txt")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    final NewsItem seed = reader.parse("seed-article.txt", text, NewsFileReader.Format.AUTO, "s").get(0);

    assertThat(seed.getTitle()).isEqualTo("China team-up with Russia, N. Korea fueling concern–Japanese report");
    assertThat(seed.getSource()).startsWith("Kyodo News");
    assertThat(seed.getBody())
        .contains("joint exercises")
        .contains("dispatch of troops")
        .contains("military parade")
        .contains("tensions with China");
  }

  @Test
  void bundledFeedParses() throws IOException {
    final String text;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("samples/sample-feed.jsonl")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(reader.parse("sample-feed.jsonl", text, NewsFileReader.Format.AUTO, "s"))
        .hasSizeGreaterThanOrEqualTo(30)
        .allSatisfy(
            item -> {
              assertThat(item.getSource()).isNotBlank().isNotEqualTo("s");
              assertThat(item.getUrl()).startsWith("http");
              assertThat(item.getTitle()).isNotBlank();
            });
  }
}
