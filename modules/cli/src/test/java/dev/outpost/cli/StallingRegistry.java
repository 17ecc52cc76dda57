package dev.outpost.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The project's registry server seen through a pass-through proxy on 127.0.0.1 that a test can
 * make stall for one schema id: answer 503 (a registry that is down), or hold the request without
 * answering (a registry that hangs). A client meets the stall exactly when it first needs that
 * schema, which is mid-run for a reader of records written under an earlier schema first.
 */
final class StallingRegistry implements AutoCloseable {

  /** How the stalled schema is answered. */
  enum Stall {
    /** 503 Service Unavailable. */
    UNAVAILABLE,
    /** No answer until {@link #heal} or {@link #close}. */
    HANG
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final HttpClient client = HttpClient.newHttpClient();
  private final String target;
  private final AtomicInteger stalled = new AtomicInteger();
  private volatile String stalledPath;
  private volatile Stall stall;
  private volatile CountDownLatch release = new CountDownLatch(1);

  private StallingRegistry(final String target) throws IOException {
    this.target = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  /**
   * @param registryUrl the registry to pass requests on to
   * @return a proxy that passes everything on until told to stall
   * @throws IOException if it cannot listen
   */
  static StallingRegistry before(final String registryUrl) throws IOException {
    return new StallingRegistry(registryUrl);
  }

  /** @return the proxy's URL, for {@code --schema-registry-url} */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * @param schemaId the schema whose look-ups stall
   * @param how how they stall
   */
  void stall(final int schemaId, final Stall how) {
    release = new CountDownLatch(1);
    stall = how;
    stalledPath = "/schemas/ids/" + schemaId;
  }

  /** Passes everything on again, and lets hanging requests through. */
  void heal() {
    stalledPath = null;
    release.countDown();
  }

  /** @return how many requests met the stall */
  int stalledRequests() {
    return stalled.get();
  }

  private void handle(final HttpExchange exchange) throws IOException {
    try (exchange) {
      final String path = exchange.getRequestURI().getPath();
      if (path.equals(stalledPath)) {
        stalled.incrementAndGet();
        if (stall == Stall.UNAVAILABLE) {
          answer(exchange, 503, "{\"error_code\":50301,\"message\":\"stalled by the test\"}".getBytes(StandardCharsets.UTF_8), "application/json");
          return;
        }
        try {
          release.await(2, TimeUnit.MINUTES);
        } catch (final InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      final HttpRequest.Builder forward =
          HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
              .timeout(Duration.ofSeconds(30))
              .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
      final String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (contentType != null) {
        forward.header("Content-Type", contentType);
      }
      final HttpResponse<byte[]> response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      answer(exchange, response.statusCode(), response.body(), response.headers().firstValue("Content-Type").orElse("application/json"));
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void answer(final HttpExchange exchange, final int status, final byte[] body, final String contentType) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    heal();
    server.stop(0);
    threads.shutdownNow();
  }
}
