package dev.outpost.ingest.feed;

import dev.outpost.ingest.IngestException;
import dev.outpost.ingest.InputLimit;
import dev.outpost.model.net.OutboundHttp;
import dev.outpost.model.net.OutboundPolicy;
import dev.outpost.model.net.OutboundRefusedException;
import dev.outpost.model.net.Urls;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fetches a feed or file over HTTP, for {@code outpost publish} and {@code outpost watch} alike.
 * The URL's address, and that of every redirect, is checked against the outbound policy before it
 * is requested (redirects are followed by {@link OutboundHttp}, not by the JDK client), so a feed
 * cannot send Outpost on to an internal service and have its answer published as news.
 *
 * <p>Every wait is bounded: connecting (15 s), the response headers (30 s), and the whole body
 * ({@link #BODY_DEADLINE}), the last because a server that trickles a byte every few seconds
 * would otherwise hold a read for ever, and with it {@code publish}, or {@code watch}, which polls
 * its feeds one after another. The body is bounded in size too ({@link InputLimit}). Messages name
 * the URL without its credentials or query ({@link Urls#redact}).
 */
public final class FeedFetcher {

  /** The longest the body of one answer may take to arrive, from its headers to its end. */
  public static final Duration BODY_DEADLINE = Duration.ofSeconds(60);

  private static final String ACCEPT = "application/rss+xml, application/atom+xml, application/xml, text/xml, */*";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).followRedirects(HttpClient.Redirect.NEVER).build();

  /** Closes bodies that run past their deadline; a daemon, so it never keeps a command alive. */
  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            final Thread thread = new Thread(task, "outpost-fetch-deadline");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * What a GET answered.
   *
   * @param status the HTTP status
   * @param headers the response headers
   * @param body the whole body for a 2xx answer; empty otherwise, as it is not read
   */
  public record Response(int status, HttpHeaders headers, byte[] body) {
    /** @return the Content-Type header, whose charset a feed's bytes are decoded by; null if none */
    public String contentType() {
      return headers.firstValue("Content-Type").orElse(null);
    }
  }

  private FeedFetcher() {}

  /**
   * @param url an http(s) URL
   * @param policy which addresses may be reached, at every hop
   * @param limit the most bytes the body may hold; it is read no further
   * @return the body, as UTF-8 text
   * @throws IngestException naming the URL (without credentials or query) and what went wrong,
   *     including an answer other than 2xx and a body not complete within {@link #BODY_DEADLINE}
   */
  public static String get(final String url, final OutboundPolicy policy, final InputLimit limit) {
    return get(url, policy, limit, BODY_DEADLINE);
  }

  /** {@link #get(String, OutboundPolicy, InputLimit)} with another deadline for the body. */
  static String get(final String url, final OutboundPolicy policy, final InputLimit limit, final Duration bodyDeadline) {
    return new String(getOk(url, policy, limit, bodyDeadline).body(), StandardCharsets.UTF_8);
  }

  /**
   * @param url an http(s) URL
   * @param policy which addresses may be reached, at every hop
   * @param limit the most bytes the body may hold; it is read no further
   * @return the 2xx answer, its body as served
   * @throws IngestException as {@link #get(String, OutboundPolicy, InputLimit)} does
   */
  public static Response getOk(final String url, final OutboundPolicy policy, final InputLimit limit) {
    return getOk(url, policy, limit, BODY_DEADLINE);
  }

  private static Response getOk(final String url, final OutboundPolicy policy, final InputLimit limit, final Duration bodyDeadline) {
    final Response response = fetch(url, Map.of(), policy, limit, bodyDeadline);
    if (response.status() / 100 != 2) {
      throw new IngestException("GET " + Urls.redact(url) + " answered HTTP " + response.status());
    }
    return response;
  }

  /**
   * @param url an http(s) URL
   * @param headers request headers besides User-Agent and Accept, such as If-None-Match
   * @param policy which addresses may be reached, at every hop
   * @param limit the most bytes the body may hold; it is read no further
   * @param bodyDeadline the longest the body may take, from the headers to its end
   * @return the answer; its body read only when the status is 2xx
   * @throws IngestException naming the URL (without credentials or query) and what went wrong
   */
  public static Response fetch(
      final String url, final Map<String, String> headers, final OutboundPolicy policy, final InputLimit limit, final Duration bodyDeadline) {
    final String shown = Urls.redact(url);
    try {
      final HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("User-Agent", "outpost").header("Accept", ACCEPT);
      headers.forEach(request::header);
      final HttpResponse<InputStream> response =
          OutboundHttp.send(HTTP, request.build(), HttpResponse.BodyHandlers.ofInputStream(), policy);
      // Closing the body before its end drops the connection, so a refused body is not read on.
      try (InputStream body = response.body()) {
        if (response.statusCode() / 100 != 2) {
          return new Response(response.statusCode(), response.headers(), new byte[0]);
        }
        final byte[] bytes =
            readWithin(body, "GET " + shown, response.headers().firstValueAsLong("Content-Length"), limit, bodyDeadline);
        return new Response(response.statusCode(), response.headers(), bytes);
      }
    } catch (final IllegalArgumentException e) {
      // The JDK's message quotes the whole URL; only the reason is shown.
      final String why = e.getCause() instanceof URISyntaxException syntax ? syntax.getReason() + " at index " + syntax.getIndex() : "malformed";
      throw new IngestException("'" + shown + "' is not a URL: " + why, e);
    } catch (final OutboundRefusedException e) {
      throw new IngestException(explain(e), e);
    } catch (final IOException e) {
      throw new IngestException("Cannot fetch " + shown + ": " + e.getMessage(), e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException("Interrupted while fetching " + shown, e);
    }
  }

  /**
   * Reads the body, closing it from the deadline thread if it is not complete in time; closing
   * wakes the read, which then ends early or fails, and is reported as late either way.
   */
  private static byte[] readWithin(
      final InputStream body, final String what, final OptionalLong declared, final InputLimit limit, final Duration deadline)
      throws IOException {
    // Whoever claims it first decides: the reader, by finishing, or the deadline, by closing.
    final AtomicBoolean claimed = new AtomicBoolean();
    final ScheduledFuture<?> timer =
        DEADLINES.schedule(
            () -> {
              if (claimed.compareAndSet(false, true)) {
                try {
                  body.close();
                } catch (final IOException e) {
                  // Closing is all the deadline can do; the reader reports the lateness.
                }
              }
            },
            deadline.toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      final byte[] bytes = limit.read(body, what, declared);
      if (!claimed.compareAndSet(false, true)) {
        throw late(what, deadline, null);
      }
      return bytes;
    } catch (final IOException e) {
      if (!claimed.compareAndSet(false, true)) {
        throw late(what, deadline, e);
      }
      throw e;
    } finally {
      timer.cancel(false);
    }
  }

  /**
   * The policy's refusal naming the flag beside the setting key that lifts it, as the {@code
   * outpost} command says it for webhooks too: a feed is fetched only for a command.
   */
  private static String explain(final OutboundRefusedException refused) {
    return refused.getMessage().replace("(" + OutboundPolicy.ALLOW_SETTING + ")", "(--outbound-allow, " + OutboundPolicy.ALLOW_SETTING + ")");
  }

  private static IngestException late(final String what, final Duration deadline, final IOException cause) {
    final long ms = deadline.toMillis();
    final String within = ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    return new IngestException(what + " sent no complete body within " + within, cause);
  }
}
