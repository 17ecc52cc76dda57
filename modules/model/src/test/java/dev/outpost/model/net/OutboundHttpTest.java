package dev.outpost.model.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redirects checked hop by hop, on two loopback addresses: the policy allows 127.0.0.1 and not
 * 127.0.0.2 (all of 127.0.0.0/8 is loopback on Linux), so a redirect from the first to the second
 * stands for a public server sending Outpost on to an internal one.
 */
class OutboundHttpTest {

  private static final OutboundPolicy FIRST_ONLY = OutboundPolicy.allowing("127.0.0.1");
  private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  private HttpServer allowed;
  private HttpServer internal;
  private final AtomicInteger internalHits = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    internal = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
    internal.createContext(
        "/",
        exchange -> {
          internalHits.incrementAndGet();
          final byte[] body = "internal secrets".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    internal.start();
    allowed = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    allowed.createContext("/to-internal", redirect("http://127.0.0.2:" + internal.getAddress().getPort() + "/admin"));
    allowed.createContext("/to-self", redirect("/feed"));
    allowed.createContext("/to-file", redirect("file:///etc/passwd"));
    allowed.createContext("/loop", redirect("/loop"));
    allowed.createContext(
        "/feed",
        exchange -> {
          final byte[] body = "<rss/>".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    allowed.start();
  }

  private static com.sun.net.httpserver.HttpHandler redirect(final String location) {
    return exchange -> {
      exchange.getResponseHeaders().add("Location", location);
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    };
  }

  @AfterEach
  void stop() {
    allowed.stop(0);
    internal.stop(0);
  }

  private String url(final String path) {
    return "http://127.0.0.1:" + allowed.getAddress().getPort() + path;
  }

  private static HttpResponse<String> get(final String url, final OutboundPolicy policy) throws Exception {
    return OutboundHttp.send(CLIENT, HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString(), policy);
  }

  @Test
  void aRedirectToARefusedAddressIsRefusedAtThatHopAndNeverSent() {
    assertThatThrownBy(() -> get(url("/to-internal"), FIRST_ONLY))
        .isInstanceOf(OutboundRefusedException.class)
        .hasMessageContaining("127.0.0.2")
        .hasMessageContaining("a loopback address");
    assertThat(internalHits).as("requests that reached the internal server").hasValue(0);
  }

  @Test
  void aRedirectToAnAllowedAddressIsFollowed() throws Exception {
    final HttpResponse<String> response = get(url("/to-self"), FIRST_ONLY);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("<rss/>");
    assertThat(response.uri().getPath()).isEqualTo("/feed");
    assertThat(get(url("/to-internal"), OutboundPolicy.allowing("127.0.0.0/8")).body())
        .as("allowed when the operator allows it")
        .isEqualTo("internal secrets");
  }

  @Test
  void theFirstHopIsCheckedTooAndOtherSchemesAndEndlessRedirectsAreRefused() {
    assertThatThrownBy(() -> get(url("/feed"), OutboundPolicy.DEFAULT)).isInstanceOf(OutboundRefusedException.class);
    assertThatThrownBy(() -> get(url("/to-file"), FIRST_ONLY))
        .isInstanceOf(OutboundRefusedException.class)
        .hasMessageContaining("only http and https");
    assertThatThrownBy(() -> get(url("/loop"), FIRST_ONLY))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("More than " + OutboundHttp.MAX_REDIRECTS + " redirects");
  }

  @Test
  void aClientThatFollowsRedirectsItselfIsRejected() {
    final HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    assertThatThrownBy(
            () -> OutboundHttp.send(following, HttpRequest.newBuilder(URI.create(url("/feed"))).build(), HttpResponse.BodyHandlers.ofString(), FIRST_ONLY))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
