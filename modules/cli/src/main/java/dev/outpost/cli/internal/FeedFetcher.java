package dev.outpost.cli.internal;

import dev.outpost.cli.UserException;
import dev.outpost.model.net.OutboundHttp;
import dev.outpost.model.net.OutboundPolicy;
import dev.outpost.model.net.OutboundRefusedException;
import dev.outpost.model.net.Urls;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Fetches a feed or file over HTTP for {@code outpost publish}. The URL's address, and that of
 * every redirect, is checked against the outbound policy before it is requested (redirects are
 * followed by {@link OutboundHttp}, not by the JDK client), so a feed cannot send Outpost on to an
 * internal service and have its answer published as news.
 */
public final class FeedFetcher {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).followRedirects(HttpClient.Redirect.NEVER).build();

  private FeedFetcher() {}

  /**
   * @param url an http(s) URL
   * @param policy which addresses may be reached, at every hop
   * @param limit the most bytes the body may hold; it is read no further
   * @return the body, as UTF-8 text
   * @throws UserException naming the URL (without credentials or query) and what went wrong
   */
  public static String get(final String url, final OutboundPolicy policy, final InputLimit limit) {
    final String shown = Urls.redact(url);
    try {
      final HttpResponse<InputStream> response =
          OutboundHttp.send(
              HTTP,
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(30))
                  .header("User-Agent", "outpost")
                  .header("Accept", "application/rss+xml, application/atom+xml, application/xml, text/xml, */*")
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream(),
              policy);
      // Closing the body before its end drops the connection, so a refused body is not read on.
      try (InputStream body = response.body()) {
        if (response.statusCode() / 100 != 2) {
          throw new UserException("GET " + shown + " answered HTTP " + response.statusCode());
        }
        return new String(
            limit.read(body, "GET " + shown, response.headers().firstValueAsLong("Content-Length")),
            StandardCharsets.UTF_8);
      }
    } catch (final IllegalArgumentException e) {
      throw new UserException("'" + shown + "' is not a URL: " + e.getMessage(), e);
    } catch (final OutboundRefusedException e) {
      throw new UserException(e.getMessage().replace("(" + OutboundPolicy.ALLOW_SETTING + ")", "(--outbound-allow, " + OutboundPolicy.ALLOW_SETTING + ")"), e);
    } catch (final IOException e) {
      throw new UserException("Cannot fetch " + shown + ": " + e.getMessage(), e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserException("Interrupted while fetching " + shown, e);
    }
  }
}
