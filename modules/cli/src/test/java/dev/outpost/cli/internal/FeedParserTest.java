package dev.outpost.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.NewsItem;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** RSS and Atom as Outpost reads them, broken ones included. The feeds are written for the test. */
class FeedParserTest {

  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  private static final String RSS =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <rss version="2.0"><channel>
        <title>Example Wire</title><link>https://wire.example/</link><language>en</language>
        <item>
          <title>Navy begins drills</title>
          <link>https://wire.example/drills</link>
          <guid>wire-1</guid>
          <pubDate>Fri, 27 Nov 2026 08:30:00 GMT</pubDate>
          <description>&lt;p&gt;Warships began &lt;b&gt;live-fire&lt;/b&gt; drills.&lt;/p&gt;</description>
        </item>
        <item>
          <title>No guid here</title>
          <link>https://wire.example/no-guid</link>
          <pubDate>sometime last week</pubDate>
          <description>Text without a date that parses.</description>
        </item>
        <item><guid>wire-empty</guid></item>
        <item>
          <title>Navy begins drills (again)</title>
          <guid>wire-1</guid>
          <description>The same entry, delivered twice.</description>
        </item>
      </channel></rss>
      """;

  @Test
  void rssEntriesBecomeItemsWithStableIdsDatesAndPlainText() {
    final ParsedItems parsed = FeedParser.parse("wire.xml", RSS, "fallback", NOW);

    assertThat(parsed.items()).hasSize(2);
    final NewsItem first = parsed.items().get(0);
    assertThat(first.getTitle()).isEqualTo("Navy begins drills");
    assertThat(first.getBody()).isEqualTo("Warships began live-fire drills.");
    assertThat(first.getSource()).isEqualTo("Example Wire");
    assertThat(first.getUrl()).isEqualTo("https://wire.example/drills");
    assertThat(first.getPublishedAt()).isEqualTo(Instant.parse("2026-11-27T08:30:00Z"));
    assertThat(first.getLanguage()).isEqualTo("en");
    assertThat(first.getIngestedAt()).isEqualTo(NOW);
    // Stable: the same entry read again has the same id; another entry has another.
    assertThat(FeedParser.parse("wire.xml", RSS, "fallback", NOW).items().get(0).getId()).isEqualTo(first.getId());
    final NewsItem second = parsed.items().get(1);
    assertThat(second.getId()).isNotEqualTo(first.getId());
    assertThat(second.getPublishedAt()).as("a date that does not parse is left out").isNull();
    assertThat(parsed.repeats()).isEqualTo(1);
    assertThat(parsed.problems()).containsExactly("wire.xml: entry 3: no title and no text");
  }

  @Test
  void atomEntriesReadTheSameWay() {
    final String atom =
        """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom">
          <title>Example Atom</title><id>urn:example:feed</id><updated>2026-11-27T09:00:00Z</updated>
          <entry>
            <title>Envoy summoned</title><id>urn:example:1</id>
            <link href="https://atom.example/1"/>
            <updated>2026-11-27T09:00:00Z</updated><published>2026-11-27T07:00:00Z</published>
            <content type="html">&lt;p&gt;The ministry summoned the ambassador.&lt;/p&gt;</content>
          </entry>
        </feed>
        """;

    final NewsItem item = FeedParser.parse("feed.atom", atom, "fallback", NOW).items().get(0);

    assertThat(item.getTitle()).isEqualTo("Envoy summoned");
    assertThat(item.getBody()).isEqualTo("The ministry summoned the ambassador.");
    assertThat(item.getPublishedAt()).isEqualTo(Instant.parse("2026-11-27T07:00:00Z"));
    assertThat(item.getUrl()).isEqualTo("https://atom.example/1");
  }

  @Test
  void truncatedXmlIsRefusedWithWhereItBreaks() {
    final String truncated = RSS.substring(0, RSS.indexOf("<item><guid>wire-empty"));

    assertThatThrownBy(() -> FeedParser.parse("cut.xml", truncated, "s", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching("(?s)cut\\.xml:\\d+:\\d+: not a readable feed.*");
  }

  @Test
  void aDoctypeIsRefusedSoNoEntityCanReadLocalFiles() {
    final String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<rss version=\"2.0\"><channel><title>t</title><item><title>&x;</title></item></channel></rss>";

    assertThatThrownBy(() -> FeedParser.parse("xxe.xml", xxe, "s", NOW)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void somethingThatIsNotAFeedIsNamed() {
    assertThatThrownBy(() -> FeedParser.parse("page.xml", "<html><body>hi</body></html>", "s", NOW))
        .hasMessageContaining("page.xml")
        .hasMessageContaining("not an RSS or Atom feed");
  }
}
