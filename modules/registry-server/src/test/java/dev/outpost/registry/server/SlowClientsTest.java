package dev.outpost.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Clients that open a connection, send part of a request and then stall (a slow upload, a dead
 * peer, a slowloris) must not take the registry from everyone else: a normal client keeps getting
 * its answers while they hang on. Only loopback connections to a server this test starts.
 */
class SlowClientsTest {

  /** Twice the default number of workers, so that they could hold every worker and more. */
  private static final int STALLED = 8;

  /** Generous: an answer takes milliseconds; this only tells "served" from "starved". */
  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

  @Test
  void aNormalClientIsServedWhileStalledClientsHangOn() throws Exception {
    try (RegistryServer server = RegistryServer.builder().build()) {
      server.start();
      final List<Socket> stalled = new ArrayList<>();
      try {
        for (int i = 0; i < STALLED; i++) {
          stalled.add(i % 2 == 0 ? partialHeaders(server.port()) : partialBody(server.port()));
        }
        final HttpClient client = HttpClient.newBuilder().connectTimeout(ANSWER_WITHIN).build();
        final String schema = RegistryHttp.schemaBody(Schemas.V1);
        for (int i = 0; i < 5; i++) {
          final String subject = "served-" + i + "-value";
          final URI versions = URI.create(server.url() + "/subjects/" + subject + "/versions");
          final HttpResponse<String> registered =
              client.send(
                  HttpRequest.newBuilder(versions)
                      .timeout(ANSWER_WITHIN)
                      .header("Content-Type", RegistryHttp.V1_JSON)
                      .POST(HttpRequest.BodyPublishers.ofString(schema))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
          final HttpResponse<String> subjects =
              client.send(
                  HttpRequest.newBuilder(URI.create(server.url() + "/subjects"))
                      .timeout(ANSWER_WITHIN)
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(subjects.statusCode()).isEqualTo(200);
          assertThat(subjects.body()).contains(subject);
        }
      } finally {
        for (final Socket socket : stalled) {
          socket.close();
        }
      }
    }
  }

  @Test
  void aClientThatStopsSendingIsDisconnectedAfterTheIdleTimeout() throws Exception {
    try (RegistryServer server =
        RegistryServer.builder().idleTimeout(Duration.ofMillis(500)).build()) {
      server.start();
      for (final Socket socket :
          List.of(partialHeaders(server.port()), partialBody(server.port()))) {
        try (socket) {
          assertThat(closedByServer(socket, Duration.ofSeconds(20)))
              .as("the server closed the stalled connection")
              .isTrue();
        }
      }
    }
  }

  @Test
  void aStoreWriteLongerThanTheIdleTimeoutStillGetsItsAnswer() throws Exception {
    final Duration idle = Duration.ofMillis(200);
    final CountDownLatch never = new CountDownLatch(1);
    final InMemorySchemaStore memory = new InMemorySchemaStore();
    final SchemaStore slowStore =
        new SchemaStore() {
          @Override
          public List<StoreRecord> replay() {
            return memory.replay();
          }

          @Override
          public void append(final StoreRecord record) {
            // A slow broker: the write takes several idle timeouts, with the client waiting.
            try {
              assertThat(never.await(idle.toMillis() * 5, TimeUnit.MILLISECONDS)).isFalse();
            } catch (final InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            memory.append(record);
          }

          @Override
          public void close() {
            // Nothing held.
          }
        };
    try (RegistryServer server =
        RegistryServer.builder().store(slowStore).idleTimeout(idle).build()) {
      server.start();
      final HttpResponse<String> answer =
          register(HttpClient.newHttpClient(), server, "slow-store-value")
              .get(30, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(memory.size()).isEqualTo(1);
    }
  }

  @Test
  void aRequestIsAnswered503AtOnceWhenEveryWorkerIsBusyAndTheQueueIsFull() throws Exception {
    final CountDownLatch writing = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final SchemaStore slowStore =
        new SchemaStore() {
          @Override
          public List<StoreRecord> replay() {
            return List.of();
          }

          @Override
          public void append(final StoreRecord record) {
            writing.countDown();
            try {
              release.await(60, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }

          @Override
          public void close() {
            // Nothing held.
          }
        };
    try (RegistryServer server =
        RegistryServer.builder().store(slowStore).threads(1).queueCapacity(1).build()) {
      server.start();
      try {
        final HttpClient client = HttpClient.newBuilder().connectTimeout(ANSWER_WITHIN).build();
        final CompletableFuture<HttpResponse<String>> busy = register(client, server, "busy");
        assertThat(writing.await(30, TimeUnit.SECONDS)).as("the one worker is writing").isTrue();
        final CompletableFuture<HttpResponse<String>> second = register(client, server, "second");
        final CompletableFuture<HttpResponse<String>> third = register(client, server, "third");

        // One of the two waits in the queue; the other finds it full and is answered at once.
        final HttpResponse<?> refused =
            (HttpResponse<?>)
                CompletableFuture.anyOf(second, third)
                    .get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.headers().firstValue("Content-Type")).hasValue(RegistryHttp.V1_JSON);
        assertThat(refused.body().toString()).contains("\"error_code\":503");

        release.countDown();
        assertThat(busy.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(
                List.of(
                    second.get(30, TimeUnit.SECONDS).statusCode(),
                    third.get(30, TimeUnit.SECONDS).statusCode()))
            .as("the refused request and the queued one")
            .containsExactlyInAnyOrder(503, 200);
      } finally {
        release.countDown();
      }
    }
  }

  private static CompletableFuture<HttpResponse<String>> register(
      final HttpClient client, final RegistryServer server, final String subject) {
    return client.sendAsync(
        HttpRequest.newBuilder(URI.create(server.url() + "/subjects/" + subject + "/versions"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", RegistryHttp.V1_JSON)
            .POST(HttpRequest.BodyPublishers.ofString(RegistryHttp.schemaBody(Schemas.V1)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * @return true once the server closed the connection (end of stream or reset); false if it
   *     kept it open for {@code within}
   */
  private static boolean closedByServer(final Socket socket, final Duration within)
      throws IOException {
    socket.setSoTimeout((int) within.toMillis());
    try {
      // Whatever the server says first (a 408, say), then the end of the stream.
      socket.getInputStream().readAllBytes();
      return true;
    } catch (final SocketTimeoutException e) {
      return false;
    } catch (final SocketException e) {
      return true;
    }
  }

  /** A client that sent half of its request line and headers, then nothing more. */
  static Socket partialHeaders(final int port) throws IOException {
    return stall(
        port, "POST /subjects/stalled-value/versions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty");
  }

  /** A client that sent its headers and a part of the body it announced, then nothing more. */
  static Socket partialBody(final int port) throws IOException {
    final String body = RegistryHttp.schemaBody(Schemas.V1);
    return stall(
        port,
        String.format(
                Locale.ROOT,
                "POST /subjects/stalled-value/versions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: %s\r\nContent-Length: %d\r\n\r\n",
                RegistryHttp.V1_JSON,
                body.length())
            + body.substring(0, body.length() / 2));
  }

  private static Socket stall(final int port, final String sent) throws IOException {
    final Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    final OutputStream out = socket.getOutputStream();
    out.write(sent.getBytes(StandardCharsets.UTF_8));
    out.flush();
    return socket;
  }
}
