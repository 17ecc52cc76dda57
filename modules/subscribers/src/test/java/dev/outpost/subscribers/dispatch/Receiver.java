package dev.outpost.subscribers.dispatch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.IntUnaryOperator;

/**
 * A webhook receiver on 127.0.0.1 (or another loopback address) for the tests: answers each request with the status its policy
 * gives for the request's number, checks signatures, and remembers what it accepted.
 */
final class Receiver implements AutoCloseable {

  /** One request as received. */
  record Request(String idempotencyKey, String body, boolean signed, int status, long order) {}

  private static final java.util.concurrent.atomic.AtomicLong ORDER = new java.util.concurrent.atomic.AtomicLong();

  private final String secret;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Set<String> accepted = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicInteger arrived = new java.util.concurrent.atomic.AtomicInteger();
  private volatile IntUnaryOperator policy;
  private volatile String location;
  private volatile HttpServer server;
  private final InetAddress address;
  private final int port;

  /**
   * @param secret the subscription's secret, to verify signatures
   * @param policy the status for the n-th request (from 1)
   */
  Receiver(final String secret, final IntUnaryOperator policy) {
    this(secret, policy, InetAddress.getLoopbackAddress());
  }

  /**
   * @param secret the subscription's secret, to verify signatures
   * @param policy the status for the n-th request (from 1)
   * @param address the loopback address to listen on, such as 127.0.0.2
   */
  Receiver(final String secret, final IntUnaryOperator policy, final InetAddress address) {
    this.secret = secret;
    this.policy = policy;
    this.address = address;
    this.server = bind(0);
    this.port = server.getAddress().getPort();
  }

  private HttpServer bind(final int at) {
    try {
      final HttpServer s = HttpServer.create(new InetSocketAddress(address, at), 0);
      s.createContext("/hook", this::handle);
      s.setExecutor(Executors.newCachedThreadPool());
      s.start();
      return s;
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handle(final HttpExchange exchange) throws IOException {
    final byte[] body = exchange.getRequestBody().readAllBytes();
    final String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    final boolean signed =
        Signature.verify(secret, exchange.getRequestHeaders().getFirst(Signature.HEADER), body);
    final int status = policy.applyAsInt(arrived.incrementAndGet());
    requests.add(new Request(key, new String(body, java.nio.charset.StandardCharsets.UTF_8), signed, status, ORDER.incrementAndGet()));
    if (status >= 200 && status < 300 && signed) {
      accepted.add(key);
    }
    if (status == 429) {
      exchange.getResponseHeaders().add("Retry-After", "1");
    }
    if (status >= 300 && status < 400 && location != null) {
      exchange.getResponseHeaders().add("Location", location);
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  /** @return the webhook URL */
  String url() {
    return "http://" + address.getHostAddress() + ":" + port + "/hook";
  }

  /** Sends 3xx answers on to this URL. */
  void redirectTo(final String url) {
    location = url;
  }

  /** Stops answering: connections are refused until {@link #up()}. */
  void down() {
    server.stop(0);
  }

  /** Answers again, on the same port. */
  void up() {
    server = bind(port);
  }

  void policy(final IntUnaryOperator next) {
    policy = next;
  }

  /** @return requests that arrived, including any still waiting for their answer */
  int arrived() {
    return arrived.get();
  }

  Set<String> accepted() {
    return Set.copyOf(accepted);
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
