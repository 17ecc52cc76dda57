package dev.outpost.model.net;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Set;

/**
 * Sends a request through an {@link OutboundPolicy}: the target is checked before the request
 * goes out, and a redirect is followed only after its target is checked too. The JDK client
 * follows redirects without asking, so a public feed could send Outpost on to an internal
 * service; here each hop is a request of its own, checked like the first.
 */
public final class OutboundHttp {

  /** Redirects followed for one request before giving up, as browsers cap them too. */
  public static final int MAX_REDIRECTS = 5;

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private OutboundHttp() {}

  /**
   * @param client a client that does not follow redirects itself ({@link HttpClient.Redirect#NEVER})
   * @param request the request; only GET and HEAD requests follow redirects, others return the 3xx
   * @param handler how to read the final response's body; redirects' bodies are discarded
   * @param policy which addresses may be reached
   * @return the response at the end of the redirects
   * @throws OutboundRefusedException when the target or a redirect's target is refused, or a
   *     redirect leads away from http(s)
   * @throws IOException when a request fails, or there are more than {@value #MAX_REDIRECTS}
   *     redirects
   * @throws InterruptedException if interrupted while waiting
   */
  public static <T> HttpResponse<T> send(
      final HttpClient client,
      final HttpRequest request,
      final HttpResponse.BodyHandler<T> handler,
      final OutboundPolicy policy)
      throws IOException, InterruptedException {
    if (client.followRedirects() != HttpClient.Redirect.NEVER) {
      throw new IllegalArgumentException("The client must leave redirects to OutboundHttp, or they go unchecked");
    }
    final boolean follows = request.method().equals("GET") || request.method().equals("HEAD");
    HttpRequest current = request;
    for (int hop = 0; ; hop++) {
      policy.check(current.uri());
      final HttpResponse<T> response =
          client.send(
              current,
              info ->
                  follows && isRedirect(info.statusCode(), info.headers())
                      ? HttpResponse.BodySubscribers.<T>replacing(null)
                      : handler.apply(info));
      if (!follows || !isRedirect(response.statusCode(), response.headers())) {
        return response;
      }
      if (hop == MAX_REDIRECTS) {
        throw new IOException(
            "More than " + MAX_REDIRECTS + " redirects from " + Urls.redact(request.uri().toString()));
      }
      final String location = response.headers().firstValue("Location").orElseThrow();
      final URI next;
      try {
        next = current.uri().resolve(location.trim());
      } catch (final IllegalArgumentException e) {
        throw new IOException(
            Urls.redact(current.uri().toString()) + " redirected to a malformed URL: " + Urls.redact(location), e);
      }
      final String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new OutboundRefusedException(
            "Refused to follow the redirect from "
                + Urls.redact(current.uri().toString())
                + " to "
                + Urls.redact(next.toString())
                + ": only http and https are followed");
      }
      current = HttpRequest.newBuilder(current, (name, value) -> true).uri(next).build();
    }
  }

  private static boolean isRedirect(final int status, final java.net.http.HttpHeaders headers) {
    return REDIRECTS.contains(status) && headers.firstValue("Location").isPresent();
  }
}
