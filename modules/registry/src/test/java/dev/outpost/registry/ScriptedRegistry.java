package dev.outpost.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A scripted fake registry on the JDK's HTTP server, bound to 127.0.0.1 on a free port. It records
 * every request and answers with whatever its handler returns, so tests can check exactly what a
 * client sends and script what it receives.
 */
public final class ScriptedRegistry implements AutoCloseable {

  /**
   * One request as received.
   *
   * @param method the HTTP method
   * @param rawPath the path as sent, still percent-encoded
   * @param rawQuery the query as sent, or null
   * @param headers the headers, case-insensitive names, first value of each
   * @param body the body as UTF-8 text, empty when there was none
   */
  public record Request(
      String method, String rawPath, String rawQuery, Map<String, String> headers, String body) {

    /**
     * @param name a header name, any case
     * @return its first value, or null
     */
    public String header(final String name) {
      return headers.get(name);
    }

    /**
     * @return method, path and query, as in {@code GET /subjects?x=1}
     */
    public String line() {
      return method + " " + rawPath + (rawQuery == null ? "" : "?" + rawQuery);
    }
  }

  /**
   * One scripted answer.
   *
   * @param status the HTTP status
   * @param body the body, sent as the registry's media type
   */
  public record Reply(int status, String body) {

    /**
     * @param body a JSON body
     * @return a 200 answer with it
     */
    public static Reply ok(final String body) {
      return new Reply(200, body);
    }

    /**
     * @param status the HTTP status
     * @param errorCode the registry's error code
     * @param message the registry's message
     * @return an answer with the registry's error body
     */
    public static Reply error(final int status, final int errorCode, final String message) {
      return new Reply(
          status, "{\"error_code\":" + errorCode + ",\"message\":\"" + message + "\"}");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Reply> handler;

  private ScriptedRegistry(final Function<Request, Reply> handler) throws IOException {
    this.handler = handler;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * @param handler answers each request
   * @return a started registry
   * @throws IOException if the server cannot bind
   */
  public static ScriptedRegistry start(final Function<Request, Reply> handler) throws IOException {
    return new ScriptedRegistry(handler);
  }

  /**
   * @param replies answered in order; the last one is repeated once the others are used up
   * @return a handler
   */
  public static Function<Request, Reply> sequence(final Reply... replies) {
    final Deque<Reply> queue = new ArrayDeque<>(Arrays.asList(replies));
    return request -> {
      synchronized (queue) {
        return queue.size() > 1 ? queue.poll() : queue.peek();
      }
    };
  }

  /**
   * @return the base URL, such as {@code http://127.0.0.1:40123}
   */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * @return every request received so far, in order
   */
  public List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /**
   * @param next the handler for requests from now on
   */
  public void handler(final Function<Request, Reply> next) {
    this.handler = next;
  }

  /**
   * @return a URL on which nothing listens, so connecting to it fails at once
   * @throws IOException if no port can be had
   */
  public static String deadUrl() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(final HttpExchange exchange) throws IOException {
    try (exchange) {
      final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
      final String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      final Request request =
          new Request(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath(),
              exchange.getRequestURI().getRawQuery(),
              headers,
              body);
      requests.add(request);
      final Reply reply = handler.apply(request);
      final byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", HttpSchemaRegistryClient.MEDIA_TYPE);
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }
}
