package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.outpost.embedded.EmbeddedStack;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outpost publish} from an RSS feed served over HTTP on 127.0.0.1, bad entry included; the
 * feed's address is internal, so the runs allow it as an operator would.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PublishFeedIT {

  private static final String FEED =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <rss version="2.0"><channel><title>Local Wire</title>
        <item><title>Troops sent north</title><guid>lw-1</guid><pubDate>Fri, 27 Nov 2026 08:30:00 GMT</pubDate>
          <description>The government sent 2,000 troops to the northern border.</description></item>
        <item><title>Envoy summoned</title><guid>lw-2</guid><pubDate>Fri, 27 Nov 2026 09:30:00 GMT</pubDate>
          <description>The foreign ministry summoned the ambassador over the remarks.</description></item>
        <item><guid>lw-3</guid></item>
        <item><title>Troops sent north</title><guid>lw-1</guid><description>Again.</description></item>
      </channel></rss>
      """;

  @TempDir Path dir;

  @Test
  void aFeedUrlIsPublishedReportingRepeatsAndBadEntriesUnlessStrict() throws Exception {
    final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/feed.xml",
        exchange -> {
          final byte[] body = FEED.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/rss+xml");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start()) {
      final String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/feed.xml";
      final String[] cluster = {"--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl()};
      final Map<String, String> allowLoopback = Map.of("OUTPOST_OUTBOUND_ALLOW", "127.0.0.1");

      final CliRunner.Result strict =
          CliRunner.run(allowLoopback, "publish", "--strict", "--input", url, cluster[0], cluster[1], cluster[2], cluster[3]);
      final CliRunner.Result lenient =
          CliRunner.run("publish", "--input", url, "--outbound-allow", "127.0.0.1", cluster[0], cluster[1], cluster[2], cluster[3]);
      final CliRunner.Result tail =
          CliRunner.run("tail", "news.items.v1", "--from-beginning", "--max-messages", "2", "--idle-timeout", "10s", cluster[0], cluster[1], cluster[2], cluster[3]);
      final CliRunner.Result missing =
          CliRunner.run(allowLoopback, "publish", "--input", url.replace("feed.xml", "nothing.xml"), cluster[0], cluster[1], cluster[2], cluster[3]);

      assertThat(strict.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
      assertThat(strict.err()).contains("1 bad entry").contains("entry 3: no title and no text").contains("nothing was published");
      assertThat(lenient.exitCode()).as(lenient.err()).isZero();
      assertThat(lenient.out()).contains("Published 2 item(s)").contains("skipped 1 repeat(s); 1 bad");
      assertThat(lenient.err()).contains("entry 3: no title and no text");
      assertThat(tail.out())
          .contains("\"title\":\"Troops sent north\"")
          .contains("\"publishedAt\":\"2026-11-27T08:30:00Z\"")
          .contains("\"source\":\"Local Wire\"");
      assertThat(missing.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
      assertThat(missing.err()).contains("answered HTTP 404");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aFeedAtAnInternalAddressOrRedirectingToOneIsRefusedAndNothingPublished() throws Exception {
    // 127.0.0.0/8 is all loopback: 127.0.0.1 stands for a public host the allow-list names, and
    // 127.0.0.2 for an internal service it does not.
    final AtomicInteger internalHits = new AtomicInteger();
    final HttpServer internal = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
    internal.createContext(
        "/",
        exchange -> {
          internalHits.incrementAndGet();
          final byte[] body = FEED.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    internal.start();
    final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/moved",
        exchange -> {
          exchange.getResponseHeaders().add("Location", "http://127.0.0.2:" + internal.getAddress().getPort() + "/admin/feed.xml");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    server.start();
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start()) {
      final String[] cluster = {"--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl()};
      final String moved = "http://127.0.0.1:" + server.getAddress().getPort() + "/moved?token=t0k3n";

      final CliRunner.Result byDefault = CliRunner.run("publish", "--input", moved, cluster[0], cluster[1], cluster[2], cluster[3]);
      final CliRunner.Result redirected =
          CliRunner.run("publish", "--input", moved, "--outbound-allow", "127.0.0.1", cluster[0], cluster[1], cluster[2], cluster[3]);
      final CliRunner.Result direct =
          CliRunner.run(
              "publish", "--input", "http://127.0.0.2:" + internal.getAddress().getPort() + "/feed.xml", "--outbound-allow", "127.0.0.1",
              cluster[0], cluster[1], cluster[2], cluster[3]);
      final CliRunner.Result tail =
          CliRunner.run("tail", "news.items.v1", "--from-beginning", "--max-messages", "1", "--idle-timeout", "3s", cluster[0], cluster[1], cluster[2], cluster[3]);

      assertThat(byDefault.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
      assertThat(byDefault.err()).contains("127.0.0.1, a loopback address").contains("--outbound-allow").doesNotContain("t0k3n");
      assertThat(redirected.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
      assertThat(redirected.err()).contains("127.0.0.2, a loopback address").doesNotContain("t0k3n");
      assertThat(direct.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
      assertThat(direct.err()).contains("127.0.0.2, a loopback address");
      assertThat(internalHits).as("requests that reached the internal server").hasValue(0);
      assertThat(tail.out()).as("nothing was published").doesNotContain("Troops sent north");
    } finally {
      server.stop(0);
      internal.stop(0);
    }
  }

  @Test
  void credentialsAndATokenInTheInputUrlReachNeitherTheItemsNorTheOutput() throws Exception {
    // No channel title: the items' source defaults to the URL; entry 2 is bad, so it is named.
    final String untitled =
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
            + "<item><title>Private wire item</title><guid>pw-1</guid><description>Text.</description></item>"
            + "<item><guid>pw-2</guid></item></channel></rss>";
    final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/private.xml",
        exchange -> {
          final byte[] body = untitled.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start()) {
      final String[] cluster = {"--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl()};
      final String authority = "127.0.0.1:" + server.getAddress().getPort();
      final String url = "http://reader:pa55word@" + authority + "/private.xml?token=s3cr3t";
      final String shown = "http://***@" + authority + "/private.xml?***";

      final CliRunner.Result strict =
          CliRunner.run("publish", "--strict", "--input", url, "--outbound-allow", "127.0.0.1", cluster[0], cluster[1], cluster[2], cluster[3]);
      final CliRunner.Result lenient =
          CliRunner.run("publish", "--input", url, "--outbound-allow", "127.0.0.1", cluster[0], cluster[1], cluster[2], cluster[3]);
      final CliRunner.Result tail =
          CliRunner.run("tail", "news.items.v1", "--from-beginning", "--max-messages", "1", "--idle-timeout", "10s", cluster[0], cluster[1], cluster[2], cluster[3]);

      assertThat(strict.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
      assertThat(strict.err()).contains("1 bad entry in '" + shown + "'").contains(shown + ": entry 2: no title and no text");
      assertThat(lenient.exitCode()).as(lenient.err()).isZero();
      assertThat(lenient.err()).contains("1 bad entry in '" + shown + "'");
      assertThat(lenient.out()).contains("Published 1 item(s) from " + shown);
      assertThat(tail.out()).contains("\"title\":\"Private wire item\"").contains("\"source\":\"" + shown + "\"");
      for (final String shownText : List.of(strict.out(), strict.err(), lenient.out(), lenient.err(), tail.out())) {
        assertThat(shownText).doesNotContain("pa55word", "s3cr3t");
      }
    } finally {
      server.stop(0);
    }
  }
}
