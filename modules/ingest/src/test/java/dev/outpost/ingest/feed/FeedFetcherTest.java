package dev.outpost.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import dev.outpost.ingest.IngestException;
import dev.outpost.ingest.InputLimit;
import dev.outpost.model.net.OutboundPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code publish --input URL} reads a body no further than {@code max.input.bytes}, whatever the
 * server declares, from servers on 127.0.0.1 that offer far more than that.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FeedFetcherTest {

  /** The servers here are on loopback, which the default policy refuses. */
  private static final OutboundPolicy LOOPBACK = OutboundPolicy.allowing("127.0.0.1");

  private static final int LIMIT = 1 << 20;
  /** What a refusal ends with: the caller's word on how to read more. */
  private static final String REMEDY = "raise the test's limit to read it";
  /** What each server offers: far more than the limit, more than socket buffers hold. */
  private static final long OFFERED = 64L << 20;

  private final AtomicLong sent = new AtomicLong();
  private final AtomicBoolean done = new AtomicBoolean();
  /** Released when a test ends, so a trickling server stops at once. */
  private final CountDownLatch finished = new CountDownLatch(1);
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/streamed",
        exchange -> {
          // Length 0: chunked, no Content-Length at all.
          exchange.sendResponseHeaders(200, 0);
          offer(exchange.getResponseBody());
          exchange.close();
        });
    server.createContext(
        "/declared",
        exchange -> {
          exchange.sendResponseHeaders(200, OFFERED);
          offer(exchange.getResponseBody());
          exchange.close();
        });
    server.createContext(
        "/small",
        exchange -> {
          final byte[] body = "Title: Small\n\nA body well under the limit.".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.createContext(
        "/trickle",
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          final OutputStream out = exchange.getResponseBody();
          try {
            // A byte every 50 ms, for at most 30 s: never idle long, never complete.
            for (int i = 0; i < 600 && !finished.await(50, TimeUnit.MILLISECONDS); i++) {
              out.write('<');
              out.flush();
              sent.incrementAndGet();
            }
          } catch (final IOException e) {
            // The client hung up: what the test wants.
          } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            done.set(true);
            exchange.close();
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    finished.countDown();
    server.stop(0);
  }

  /** Writes up to {@link #OFFERED} bytes, counting them, until the client hangs up. */
  private void offer(final OutputStream out) {
    final byte[] chunk = new byte[8192];
    Arrays.fill(chunk, (byte) 'a');
    try {
      while (sent.get() < OFFERED) {
        out.write(chunk);
        sent.addAndGet(chunk.length);
      }
      out.flush();
    } catch (final IOException e) {
      // The client closed the connection: what the test wants.
    } finally {
      done.set(true);
    }
  }

  private String url(final String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private void awaitServerDoneWithoutSendingItAll() {
    await().alias("the server cut off").atMost(Duration.ofSeconds(30)).untilTrue(done);
    assertThat(sent.get()).as("bytes the server got out before the client hung up").isLessThan(OFFERED);
  }

  @Test
  void aStreamedBodyOverTheLimitIsRefusedWithoutReadingItAll() {
    final String url = url("/streamed");

    assertThatThrownBy(() -> FeedFetcher.get(url, LOOPBACK, new InputLimit(LIMIT, REMEDY)))
        .isInstanceOf(IngestException.class)
        .hasMessage("GET " + url + " holds more than " + LIMIT + " bytes, the limit; " + REMEDY);
    awaitServerDoneWithoutSendingItAll();
  }

  @Test
  void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsRead() {
    final String url = url("/declared");

    assertThatThrownBy(() -> FeedFetcher.get(url, LOOPBACK, new InputLimit(LIMIT, REMEDY)))
        .isInstanceOf(IngestException.class)
        .hasMessage(
            "GET " + url + " declares a body of " + OFFERED + " bytes (Content-Length), over the limit of " + LIMIT + " bytes; " + REMEDY);
    awaitServerDoneWithoutSendingItAll();
  }

  @Test
  void aContentLengthThatUnderstatesAChunkedBodyCarriesNoMoreThanItSays() throws Exception {
    // A raw server, as no well-behaved one sends both: it claims 100 bytes and then streams
    // chunks, far past the limit.
    try (ServerSocket lying = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      final Thread serving =
          new Thread(
              () -> {
                try (Socket socket = lying.accept()) {
                  final BufferedReader request =
                      new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                  String line;
                  do {
                    line = request.readLine();
                  } while (line != null && !line.isEmpty());
                  final OutputStream out = socket.getOutputStream();
                  out.write(
                      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
                          .getBytes(StandardCharsets.US_ASCII));
                  offer(new ChunkedOut(out));
                } catch (final IOException e) {
                  done.set(true);
                }
              },
              "lying-server");
      serving.setDaemon(true);
      serving.start();
      final String url = "http://127.0.0.1:" + lying.getLocalPort() + "/lying";

      final String body = FeedFetcher.get(url, LOOPBACK, new InputLimit(LIMIT));

      // The client goes by the declared length; the limit would have stopped it at 1 MiB anyway.
      assertThat(body.length()).as("bytes handed to the parser").isLessThanOrEqualTo(100);
      awaitServerDoneWithoutSendingItAll();
    }
  }

  @Test
  void aBodyUnderTheLimitIsReadWhole() {
    assertThat(FeedFetcher.get(url("/small"), LOOPBACK, new InputLimit(LIMIT))).isEqualTo("Title: Small\n\nA body well under the limit.");
  }

  @Test
  void aBodyThatTricklesPastItsDeadlineFailsTheFetchNamingTheUrlWithoutItsSecrets() {
    final int port = server.getAddress().getPort();
    final String url = "http://reader:pa55word@127.0.0.1:" + port + "/trickle?token=s3cr3t";

    final Throwable thrown =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () -> org.assertj.core.api.Assertions.catchThrowable(() -> FeedFetcher.get(url, LOOPBACK, new InputLimit(LIMIT), Duration.ofSeconds(1))),
            "a fetch held by a trickling body");

    assertThat(thrown)
        .isInstanceOf(IngestException.class)
        .hasMessage("GET http://***@127.0.0.1:" + port + "/trickle?*** sent no complete body within 1 s");
    await().alias("the trickling server cut off").atMost(Duration.ofSeconds(30)).untilTrue(done);
    assertThat(sent.get()).as("bytes trickled before the client hung up").isPositive().isLessThan(600);
  }

  @Test
  void aMalformedUrlIsNamedWithoutItsCredentialsOrQuery() {
    assertThatThrownBy(() -> FeedFetcher.get("http://reader:pa55word@127.0.0.1/a feed?token=s3cr3t", LOOPBACK, new InputLimit(LIMIT)))
        .isInstanceOf(IngestException.class)
        .hasMessageStartingWith("'http://***@127.0.0.1/a feed?***' is not a URL: Illegal character in path")
        .hasMessageNotContaining("pa55word")
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void aRefusalNamesTheFlagAndTheSettingThatLiftIt() {
    assertThatThrownBy(() -> FeedFetcher.get("http://reader:pa55word@127.0.0.1:9/feed?token=s3cr3t", OutboundPolicy.DEFAULT, new InputLimit(LIMIT)))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("Refused to connect to http://***@127.0.0.1:9/feed?***")
        .hasMessageContaining("(--outbound-allow, outbound.allow)")
        .hasMessageNotContaining("pa55word")
        .hasMessageNotContaining("s3cr3t");
  }

  /** Frames what is written as HTTP/1.1 chunks. */
  private static final class ChunkedOut extends OutputStream {
    private final OutputStream out;

    ChunkedOut(final OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(final int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(final byte[] b, final int off, final int len) throws IOException {
      out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(b, off, len);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
  }
}
