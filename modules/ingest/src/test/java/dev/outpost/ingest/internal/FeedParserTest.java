package dev.outpost.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.ingest.ParsedItems;
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

  private static byte[] bytes(final String text, final String charset) {
    return text.getBytes(java.nio.charset.Charset.forName(charset));
  }

  private static String rss(final String encoding, final String rootAttributes, final String channel) {
    return "<?xml version=\"1.0\"" + (encoding == null ? "" : " encoding=\"" + encoding + "\"") + "?>\n"
        + "<rss version=\"2.0\"" + rootAttributes + "><channel><title>Jornal</title>" + channel + "</channel></rss>";
  }

  @Test
  void aByteOrderMarkBeforeThePrologIsNotContent() {
    final byte[] feed = bytes("\uFEFF" + rss("UTF-8", "", "<item><title>Marinha inicia exercícios</title></item>"), "UTF-8");

    assertThat(FeedParser.parse("bom.xml", feed, null, null, "s", NOW).items()).extracting(NewsItem::getTitle)
        .containsExactly("Marinha inicia exercícios");
    assertThat(FeedParser.parse("bom.xml", new String(feed, java.nio.charset.StandardCharsets.UTF_8), "s", NOW).items())
        .hasSize(1);
  }

  @Test
  void aFeedIsDecodedAsItsPrologOrItsHttpHeaderSays() {
    final String item = "<item><title>Exército português em manobras</title></item>";

    final byte[] latin1 = bytes(rss("ISO-8859-1", "", item), "ISO-8859-1");
    assertThat(FeedParser.parse("latin1.xml", latin1, null, null, "s", NOW).items().get(0).getTitle())
        .isEqualTo("Exército português em manobras");

    // No encoding in the prolog: the server's charset counts.
    final byte[] cp1252 = bytes(rss(null, "", item), "windows-1252");
    assertThat(FeedParser.parse("http://news.example/feed", cp1252, "application/rss+xml; charset=windows-1252", null, "s", NOW)
            .items().get(0).getTitle())
        .isEqualTo("Exército português em manobras");
  }

  @Test
  void aFeedDeclaredUtf8ButWrittenInLatin1IsReadAsWindows1252() {
    // "ã" alone is not a UTF-8 sequence: the text is read as the single-byte encoding it is in.
    final byte[] wrong = bytes(rss("UTF-8", "", "<item><title>Manobras na região</title></item>"), "ISO-8859-1");

    assertThat(FeedParser.parse("wrong.xml", wrong, null, null, "s", NOW).items().get(0).getTitle()).isEqualTo("Manobras na região");
  }

  @Test
  void bytesInvalidInAnotherDeclaredEncodingAreNamedAsSuch() {
    final byte[] feed = bytes(rss("Shift_JIS", "", "<item><title>t</title></item>"), "UTF-8");
    final byte[] broken = java.util.Arrays.copyOf(feed, feed.length + 1);
    broken[feed.length] = (byte) 0x81;

    assertThatThrownBy(() -> FeedParser.parse("sjis.xml", broken, null, null, "s", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching("(?i)sjis\\.xml: not readable as shift_jis, the encoding it declares");
  }

  @Test
  void aRootInAnUnknownNamespaceIsReadAsItsFormat() {
    final String feed = rss("UTF-8", " xmlns=\"http://feeds.example/ns/rss\"", "<item><title>Troops sent north</title></item>");

    assertThat(FeedParser.parse("ns.xml", feed, "s", NOW).items()).extracting(NewsItem::getTitle).containsExactly("Troops sent north");
  }

  @Test
  void everyHtmlEntityInATextIsDecodedAndItsMarkupDropped() {
    final String feed =
        rss("UTF-8", "",
            "<item><title>Ministro fala em &amp;ldquo;provocação&amp;rdquo;</title>"
                + "<description><![CDATA[<p>O ex&eacute;rcito &amp; a marinha&nbsp;<a href=\"/x\">treinam</a>.</p>"
                + "<script>alert(1)</script><p>&#8220;Sem tens&atilde;o&#8221;, disse.</p>]]></description></item>"
                // Escaped twice at the source, as some publishing systems do.
                + "<item><title>Lula&amp;amp;#8217;s envoy &amp;amp;amp; the army</title></item>");

    final NewsItem item = FeedParser.parse("html.xml", feed, "s", NOW).items().get(0);

    assertThat(item.getTitle()).isEqualTo("Ministro fala em “provocação”");
    assertThat(item.getBody()).isEqualTo("O exército & a marinha treinam. “Sem tensão”, disse.");
    assertThat(FeedParser.parse("html.xml", feed, "s", NOW).items().get(1).getTitle()).isEqualTo("Lula’s envoy & the army");
  }

  @Test
  void relativeLinksAreResolvedAgainstTheFeedsAddressElseItsSite() {
    final String feed =
        rss("UTF-8", "",
            "<link>https://site.example/world/</link>"
                + "<item><title>A</title><link>/news/1</link></item>"
                + "<item><title>B</title><link>2.html</link></item>"
                + "<item><title>C</title><link>https://other.example/c</link></item>");
    final byte[] bytes = bytes(feed, "UTF-8");

    assertThat(FeedParser.parse("file.xml", bytes, null, null, "s", NOW).items()).extracting(NewsItem::getUrl)
        .containsExactly("https://site.example/news/1", "https://site.example/world/2.html", "https://other.example/c");
    assertThat(FeedParser.parse("https://feeds.example/rss/world", bytes, null, "https://feeds.example/rss/world", "s", NOW).items())
        .extracting(NewsItem::getUrl)
        .containsExactly("https://feeds.example/news/1", "https://feeds.example/rss/2.html", "https://other.example/c");
  }

  @Test
  void datesWrittenInTheFeedsLanguageAreRead() {
    final String pt =
        rss("UTF-8", "",
            "<language>pt-BR</language>"
                + "<item><title>A</title><pubDate>Sex, 05 Dez 2025 10:00:00 -0300</pubDate></item>"
                + "<item><title>B</title><pubDate>Ter, 14 Out 2025 08:30:00 GMT</pubDate></item>"
                + "<item><title>C</title><pubDate>Fri, 05 Dec 2025 10:00:00 GMT</pubDate></item>"
                + "<item><title>D</title><pubDate>amanhã</pubDate></item>");
    assertThat(FeedParser.parse("pt.xml", pt, "s", NOW).items()).extracting(NewsItem::getPublishedAt)
        .containsExactly(
            Instant.parse("2025-12-05T13:00:00Z"), Instant.parse("2025-10-14T08:30:00Z"), Instant.parse("2025-12-05T10:00:00Z"), null);

    // No language named: the common European month names are tried.
    final String de = rss("UTF-8", "", "<item><title>A</title><pubDate>Mi, 3. Dez. 2025 08:15:00 +0100</pubDate></item>");
    assertThat(FeedParser.parse("de.xml", de, "s", NOW).items().get(0).getPublishedAt()).isEqualTo(Instant.parse("2025-12-03T07:15:00Z"));
  }

  @Test
  void xmlBaseOnTheFeedAndTheEntryIsHonouredForLinks() {
    final String atom =
        """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example/news/">
          <title>Blog</title><id>urn:b</id><updated>2025-08-26T00:00:00Z</updated>
          <link href="/" rel="alternate"/>
          <entry xml:base="/2025/08/26/release/"><title>Release</title><id>urn:b:1</id><updated>2025-08-26T00:00:00Z</updated>
            <link href="./" rel="alternate"/></entry>
          <entry><title>Other</title><id>urn:b:2</id><updated>2025-08-27T00:00:00Z</updated>
            <link href="other.html" rel="alternate"/></entry>
        </feed>
        """;
    final byte[] bytes = bytes(atom, "UTF-8");

    // Read from a file: the feed's own xml:base is the only absolute base there is.
    assertThat(FeedParser.parse("blog.atom", bytes, null, null, "s", NOW).items())
        .extracting(NewsItem::getUrl)
        .containsExactly("https://blog.example/2025/08/26/release/", "https://blog.example/news/other.html");
  }

  @Test
  void aDateWithoutAZoneIsReadInTheZoneOfTheFeedsOwnDateElseAsUtc() {
    final String zoned =
        rss("UTF-8", "",
            "<pubDate>Sun, 17 Dec 2023 00:58:40 -0500</pubDate>"
                + "<item><title>A</title><pubDate>Sat, Dec 16 2023 02:02:33 PM</pubDate></item>");
    assertThat(FeedParser.parse("nbc.xml", zoned, "s", NOW).items().get(0).getPublishedAt())
        .isEqualTo(Instant.parse("2023-12-16T19:02:33Z"));

    final String unzoned = rss("gb2312", "", "<item><title>B</title><pubDate>2020/1/10 14:33:00</pubDate></item>");
    assertThat(FeedParser.parse("cn.xml", unzoned, "s", NOW).items().get(0).getPublishedAt())
        .isEqualTo(Instant.parse("2020-01-10T14:33:00Z"));
  }

  @Test
  void controlCharactersXmlForbidsAreDroppedNotFatal() {
    final byte[] feed = bytes(rss("UTF-8", "", "<item><title>Decode NMEA\u000F bytes</title></item>"), "UTF-8");

    assertThat(FeedParser.parse("so.xml", feed, null, null, "s", NOW).items().get(0).getTitle()).isEqualTo("Decode NMEA bytes");
  }
}
