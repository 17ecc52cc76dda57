package dev.outpost.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpsServerTest {

  @Test
  void aRouteAnswersAndATakenPortFallsBackOnlyWhenAllowed() throws Exception {
    try (OpsServer first =
        OpsServer.start("127.0.0.1", 0, false)
            .route(
                "/ping",
                exchange -> {
                  final byte[] body = "pong".getBytes(StandardCharsets.UTF_8);
                  exchange.sendResponseHeaders(200, body.length);
                  exchange.getResponseBody().write(body);
                  exchange.close();
                })) {
      final HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(URI.create(first.url() + "/ping")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.body()).isEqualTo("pong");
      assertThat(first.url()).isEqualTo("http://127.0.0.1:" + first.port());

      try (OpsServer second = OpsServer.start("127.0.0.1", first.port(), true)) {
        assertThat(second.port()).isNotEqualTo(first.port());
      }
      assertThatThrownBy(() -> OpsServer.start("127.0.0.1", first.port(), false))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("Port " + first.port() + " on 127.0.0.1 is taken");
    }
  }

  @Test
  void withATokenEveryRouteButHealthNeedsIt() throws Exception {
    try (OpsServer server = OpsServer.start("127.0.0.1", 0, false).requireToken("a-token-of-sixteen+")) {
      server.route("/secret", exchange -> { exchange.sendResponseHeaders(204, -1); exchange.close(); });
      server.route("/health", exchange -> { exchange.sendResponseHeaders(200, -1); exchange.close(); });
      final HttpClient http = HttpClient.newHttpClient();
      final HttpRequest.Builder secret = HttpRequest.newBuilder(URI.create(server.url() + "/secret"));

      assertThat(http.send(secret.build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
      assertThat(http.send(secret.copy().header("Authorization", "Bearer wrong-token-of-sixteen").build(), HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(401);
      assertThat(http.send(secret.copy().header("Authorization", "Bearer a-token-of-sixteen+").build(), HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(204);
      assertThat(http.send(HttpRequest.newBuilder(URI.create(server.url() + "/health")).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(200);
    }
    assertThatThrownBy(() -> OpsServer.start("127.0.0.1", 0, false).requireToken("short")).hasMessageContaining("at least 16");
    assertThat(OpsServer.isLoopback("127.0.0.1")).isTrue();
    assertThat(OpsServer.isLoopback("0.0.0.0")).isFalse();
  }
}
