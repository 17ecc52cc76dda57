package dev.outpost.ops;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server every long-running Outpost process carries for operators and browsers. Routes
 * are added by the modules that serve them; requests run on a pool that grows with long-lived
 * streams.
 */
public final class OpsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
  private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

  static {
    // The JDK's server writes a response's headers and body as separate TCP segments; with
    // Nagle's algorithm on, each answer (and each server-sent event) waits for the client's
    // delayed ACK, about 40 ms. The JDK reads this once, when its first server is created.
    if (System.getProperty(NODELAY_PROPERTY) == null) {
      System.setProperty(NODELAY_PROPERTY, "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService pool;
  private volatile byte[] token;

  private OpsServer(final HttpServer server, final ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  /**
   * Binds and starts the server.
   *
   * @param host the address to listen on, such as {@code 127.0.0.1}
   * @param port the port, if free; else, when {@code anyIfTaken}, a free one; 0 for any
   * @param anyIfTaken whether a taken port falls back to a free one instead of failing
   * @return the running server
   * @throws UncheckedIOException when the port is taken and no fallback is allowed
   */
  public static OpsServer start(final String host, final int port, final boolean anyIfTaken) {
    final AtomicInteger threads = new AtomicInteger();
    final ExecutorService pool =
        Executors.newCachedThreadPool(
            task -> {
              final Thread t = new Thread(task, "outpost-ops-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (final BindException e) {
      if (!anyIfTaken || port == 0) {
        throw new UncheckedIOException("Port " + port + " on " + host + " is taken", e);
      }
      LOG.info("Port {} is taken; the ops server takes a free one", port);
      try {
        server = HttpServer.create(new InetSocketAddress(host, 0), 0);
      } catch (final IOException again) {
        throw new UncheckedIOException(again);
      }
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(pool);
    server.start();
    return new OpsServer(server, pool);
  }

  /**
   * Requires {@code Authorization: Bearer <token>} on every route added from now on, except the
   * health checks, which probes call without credentials.
   *
   * @param bearer the token
   * @return this server
   */
  public OpsServer requireToken(final String bearer) {
    if (bearer == null || bearer.length() < 16) {
      throw new IllegalArgumentException("an ops token must be at least 16 characters long");
    }
    this.token = bearer.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /**
   * @param path the path, such as {@code /alerts/stream}
   * @param handler what answers it
   * @return this server
   */
  public OpsServer route(final String path, final HttpHandler handler) {
    final byte[] required = token;
    if (required == null || path.startsWith("/health")) {
      server.createContext(path, handler);
    } else {
      server.createContext(
          path,
          exchange -> {
            final String header = exchange.getRequestHeaders().getFirst("Authorization");
            final byte[] given =
                header != null && header.startsWith("Bearer ")
                    ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8)
                    : new byte[0];
            if (!MessageDigest.isEqual(required, given)) {
              exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
              exchange.sendResponseHeaders(401, -1);
              exchange.close();
              return;
            }
            handler.handle(exchange);
          });
    }
    return this;
  }

  /**
   * @param host an address to listen on
   * @return whether only this machine can reach it
   */
  public static boolean isLoopback(final String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (final java.net.UnknownHostException e) {
      return false;
    }
  }

  /** @return the base URL, such as {@code http://127.0.0.1:8080} */
  public String url() {
    final InetSocketAddress address = server.getAddress();
    return "http://" + address.getHostString() + ":" + address.getPort();
  }

  /** @return the port it listens on */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
