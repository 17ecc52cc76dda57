package dev.outpost.cli.internal;

import dev.outpost.cli.UserException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Fetches a feed or file over HTTP for {@code outpost publish}. */
public final class FeedFetcher {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).followRedirects(HttpClient.Redirect.NORMAL).build();

  private FeedFetcher() {}

  /**
   * @param url an http(s) URL
   * @param limit the most bytes the body may hold; it is read no further
   * @return the body, as UTF-8 text
   * @throws UserException naming the URL and what went wrong
   */
  public static String get(final String url, final InputLimit limit) {
    try {
      final HttpResponse<InputStream> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(30))
                  .header("User-Agent", "outpost")
                  .header("Accept", "application/rss+xml, application/atom+xml, application/xml, text/xml, */*")
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      // Closing the body before its end drops the connection, so a refused body is not read on.
      try (InputStream body = response.body()) {
        if (response.statusCode() / 100 != 2) {
          throw new UserException("GET " + url + " answered HTTP " + response.statusCode());
        }
        return new String(
            limit.read(body, "GET " + url, response.headers().firstValueAsLong("Content-Length")),
            StandardCharsets.UTF_8);
      }
    } catch (final IllegalArgumentException e) {
      throw new UserException("'" + url + "' is not a URL: " + e.getMessage(), e);
    } catch (final IOException e) {
      throw new UserException("Cannot fetch " + url + ": " + e.getMessage(), e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserException("Interrupted while fetching " + url, e);
    }
  }
}
