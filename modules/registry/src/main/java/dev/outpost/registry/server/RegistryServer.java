package dev.outpost.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.outpost.registry.CompatibilityLevel;
import dev.outpost.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded schema registry that speaks Confluent Schema Registry's REST protocol for Avro, for
 * Outpost's demo and tests. It listens on the loopback interface only ({@code 127.0.0.1}) and keeps
 * its state in a {@link SchemaStore}.
 *
 * <pre>{@code
 * try (RegistryServer server = RegistryServer.builder()
 *         .port(0)                                  // 0 = any free port (the default)
 *         .store(new InMemorySchemaStore())         // or a KafkaSchemaStore; default in-memory
 *         .defaultCompatibility(CompatibilityLevel.BACKWARD) // the default
 *         .build()) {
 *   server.start();
 *   String url = server.url();                      // "http://127.0.0.1:PORT"
 * }
 * }</pre>
 *
 * <p>Endpoints, with Confluent's JSON shapes and error codes ({@code
 * {"error_code":N,"message":"..."}}):
 *
 * <ul>
 *   <li>{@code POST /subjects/{s}/versions} {@code {"schema":"...","schemaType":"AVRO"}} &rarr;
 *       {@code {"id":N}}; 409 (error code 409) if incompatible, 422/42201 if invalid or not AVRO
 *   <li>{@code POST /subjects/{s}} &rarr; {@code {"subject","version","id","schema"}}; 40401,
 *       40403
 *   <li>{@code GET /schemas/ids/{id}} &rarr; {@code {"schema":"..."}}; 40403
 *   <li>{@code GET /schemas/types} &rarr; {@code ["AVRO"]}
 *   <li>{@code GET /subjects}, {@code GET /subjects/{s}/versions} (40401), {@code GET
 *       /subjects/{s}/versions/{v|latest}} (40401, 40402, 42202)
 *   <li>{@code POST /compatibility/subjects/{s}/versions/{v|latest}[?verbose=true]} &rarr; {@code
 *       {"is_compatible":true}}, plus {@code "messages"} when verbose
 *   <li>{@code GET|PUT /config}, {@code GET|PUT /config/{s}[?defaultToGlobal=true]} (40408,
 *       42203)
 * </ul>
 *
 * <p>Behaviours taken from Confluent's source ({@code CompatibilityResource}, {@code
 * ConfigResource}, {@code Errors}): testing compatibility against {@code latest} of a subject with
 * no versions answers {@code is_compatible: true}, while a numbered version it lacks is 40402 (not
 * 40401); {@code -1} means {@code latest}; a verbose check of an unparseable schema answers {@code
 * is_compatible: false} with the parse error as its message. An incompatible schema is error code
 * 409, as Confluent's released registries answer (its newest sources moved to 40901).
 *
 * <p>Subjects in paths are percent-decoded ({@code +} stays a plus, as in a URI path). Request
 * bodies may be sent as {@code application/vnd.schemaregistry.v1+json}, {@code
 * application/vnd.schemaregistry+json}, {@code application/json} or {@code
 * application/octet-stream}; answers are {@code application/vnd.schemaregistry.v1+json}. A body that
 * is not JSON is 400 (error code 400); JSON of the wrong shape is 422. Unknown paths are 404 and
 * wrong methods 405, both with an error body.
 *
 * <p>The server never closes its store: whoever made the store closes it, so one store can be
 * replayed into a later server. Thread-safe; requests run on a small bounded pool.
 *
 * <p>The JDK's server writes a response's headers and body as separate TCP segments, so with
 * Nagle's algorithm on every answer waits for the client's delayed ACK (about 40 ms). Loading this
 * class therefore sets the system property {@code sun.net.httpserver.nodelay=true}, unless it is
 * already set; the JDK reads it once, when its first HTTP server is created.
 */
public final class RegistryServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);

  /** The content type of every answer. */
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final Set<String> ACCEPTED_BODY_TYPES =
      Set.of(
          CONTENT_TYPE,
          "application/vnd.schemaregistry+json",
          "application/json",
          "application/octet-stream");
  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
  private static final int QUEUE_CAPACITY = 128;
  private static final String GET = "GET";
  private static final String POST = "POST";
  private static final String PUT = "PUT";
  private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

  static {
    if (System.getProperty(NODELAY_PROPERTY) == null) {
      System.setProperty(NODELAY_PROPERTY, "true");
    }
  }

  private final int requestedPort;
  private final int threads;
  private final SchemaStore store;
  private final RegistryState state;
  private final ObjectMapper mapper = new ObjectMapper();

  private HttpServer http;
  private ThreadPoolExecutor executor;
  private boolean closed;

  private final javax.net.ssl.SSLContext tls;
  private final String basicAuth;

  private RegistryServer(final Builder builder) {
    this.tls = builder.tls;
    this.basicAuth =
        builder.basicAuthUserInfo == null
            ? null
            : "Basic " + java.util.Base64.getEncoder().encodeToString(builder.basicAuthUserInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    this.requestedPort = builder.port;
    this.threads = builder.threads;
    this.store = builder.store == null ? new InMemorySchemaStore() : builder.store;
    this.state = new RegistryState(store, builder.defaultCompatibility);
  }

  /**
   * @return a builder for a server on any free port, with an in-memory store and BACKWARD as the
   *     default compatibility level
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Replays the store, then binds to {@code 127.0.0.1} and starts serving.
   *
   * @throws IllegalStateException if the server was already started or closed
   * @throws UncheckedIOException if the port cannot be bound
   * @throws SchemaStoreException if the store cannot be replayed
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("The registry server is closed");
    }
    if (http != null) {
      throw new IllegalStateException("The registry server is already started");
    }
    state.load();
    final HttpServer server;
    try {
      final InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort);
      if (tls != null) {
        final com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(bind, 0);
        https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
        server = https;
      } else {
        server = HttpServer.create(bind, 0);
      }
    } catch (final IOException e) {
      throw new UncheckedIOException(
          "Cannot bind the registry to 127.0.0.1:" + requestedPort, e);
    }
    final ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE_CAPACITY),
            new DaemonThreads(),
            new ThreadPoolExecutor.CallerRunsPolicy());
    pool.allowCoreThreadTimeOut(true);
    server.createContext("/", this::handle);
    server.setExecutor(pool);
    server.start();
    http = server;
    executor = pool;
    LOG.info(
        "Schema registry listening on {} ({} subjects, {} schemas from {})",
        url(),
        state.subjectCount(),
        state.schemaCount(),
        store);
  }

  /**
   * @return the bound address (always a loopback address)
   * @throws IllegalStateException if the server is not started
   */
  public synchronized InetSocketAddress address() {
    if (http == null) {
      throw new IllegalStateException("The registry server is not started");
    }
    return http.getAddress();
  }

  /**
   * @return the port the server listens on
   * @throws IllegalStateException if the server is not started
   */
  public int port() {
    return address().getPort();
  }

  /**
   * @return the base URL, {@code http://127.0.0.1:PORT}, or {@code https://} when serving TLS
   * @throws IllegalStateException if the server is not started
   */
  public String url() {
    final InetSocketAddress bound = address();
    final String host = bound.getAddress().getHostAddress();
    return (tls != null ? "https://" : "http://") + (bound.getAddress() instanceof Inet6Address ? "[" + host + "]" : host)
        + ":" + bound.getPort();
  }

  /** Stops serving and releases the port. Idempotent; leaves the store open. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (http != null) {
      http.stop(0);
      executor.shutdown();
      try {
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
          executor.shutdownNow();
        }
      } catch (final InterruptedException e) {
        executor.shutdownNow();
        Thread.currentThread().interrupt();
      }
      LOG.info("Schema registry on port {} stopped", http.getAddress().getPort());
    }
  }

  private void handle(final HttpExchange exchange) {
    final String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    final String path = exchange.getRequestURI().getRawPath();
    Response response;
    try {
      if (basicAuth != null && !constantTimeEquals(basicAuth, exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"schema-registry\"");
        throw new RestError(401, 401, "Unauthorized");
      }
      response = dispatch(exchange, method);
    } catch (final RestError e) {
      LOG.debug("{} {} -> {} {}: {}", method, path, e.status(), e.errorCode(), e.getMessage());
      response = Response.error(e);
    } catch (final SchemaStoreException e) {
      LOG.error("{} {} failed in the schema store", method, path, e);
      response =
          Response.error(
              new RestError(500, RestError.STORE_ERROR, "Error in the backend data store: " + e.getMessage()));
    } catch (final RuntimeException e) {
      LOG.error("{} {} failed", method, path, e);
      response = Response.error(new RestError(500, 500, "Internal Server Error"));
    }
    send(exchange, response);
  }

  private static boolean constantTimeEquals(final String expected, final String given) {
    return given != null
        && java.security.MessageDigest.isEqual(
            expected.getBytes(java.nio.charset.StandardCharsets.UTF_8), given.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private Response dispatch(final HttpExchange exchange, final String method) {
    final List<String> segments = segments(exchange.getRequestURI().getRawPath());
    final Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    final int count = segments.size();
    if (count == 0) {
      return route(method, Map.of(GET, () -> Response.ok(Map.of())));
    }
    switch (segments.get(0)) {
      case "subjects":
        if (count == 1) {
          return route(method, Map.of(GET, () -> Response.ok(state.subjects())));
        }
        final String subject = segments.get(1);
        if (count == 2) {
          return route(method, Map.of(POST, () -> lookup(exchange, subject)));
        }
        if ("versions".equals(segments.get(2))) {
          if (count == 3) {
            return route(
                method,
                Map.of(
                    GET, () -> Response.ok(state.versions(subject)),
                    POST, () -> register(exchange, subject)));
          }
          if (count == 4) {
            return route(
                method, Map.of(GET, () -> Response.ok(view(state.version(subject, segments.get(3))))));
          }
        }
        break;
      case "schemas":
        if (count == 3 && "ids".equals(segments.get(1))) {
          final int id = parseId(segments.get(2));
          return route(method, Map.of(GET, () -> Response.ok(Map.of("schema", state.schemaById(id)))));
        }
        if (count == 2 && "types".equals(segments.get(1))) {
          return route(method, Map.of(GET, () -> Response.ok(List.of(RegistryState.AVRO))));
        }
        break;
      case "compatibility":
        if (count == 5 && "subjects".equals(segments.get(1)) && "versions".equals(segments.get(3))) {
          return route(
              method,
              Map.of(
                  POST,
                  () ->
                      testCompatibility(
                          exchange, segments.get(2), segments.get(4), flag(query, "verbose"))));
        }
        break;
      case "config":
        if (count == 1) {
          return route(
              method,
              Map.of(
                  GET, () -> Response.ok(Map.of("compatibilityLevel", state.globalLevel().name())),
                  PUT, () -> putConfig(exchange, null)));
        }
        if (count == 2) {
          final String configSubject = segments.get(1);
          return route(
              method,
              Map.of(
                  GET,
                  () ->
                      Response.ok(
                          Map.of(
                              "compatibilityLevel",
                              state
                                  .subjectLevel(configSubject, flag(query, "defaultToGlobal"))
                                  .name())),
                  PUT,
                  () -> putConfig(exchange, configSubject)));
        }
        break;
      default:
        break;
    }
    throw RestError.notFound();
  }

  private Response register(final HttpExchange exchange, final String subject) {
    final int id = state.register(subject, schemaRequest(readJson(exchange)));
    return Response.ok(Map.of("id", id));
  }

  private Response lookup(final HttpExchange exchange, final String subject) {
    return Response.ok(view(state.lookup(subject, schemaRequest(readJson(exchange)))));
  }

  private Response testCompatibility(
      final HttpExchange exchange,
      final String subject,
      final String version,
      final boolean verbose) {
    final List<String> messages =
        state.testCompatibility(subject, version, schemaRequest(readJson(exchange)), verbose);
    final Map<String, Object> body = new LinkedHashMap<>();
    body.put("is_compatible", messages.isEmpty());
    if (verbose) {
      body.put("messages", messages);
    }
    return Response.ok(body);
  }

  private Response putConfig(final HttpExchange exchange, final String subject) {
    final JsonNode body = readJson(exchange);
    final JsonNode value = body.get("compatibility");
    if (value == null || !value.isTextual()) {
      throw RestError.invalidCompatibilityLevel();
    }
    final CompatibilityLevel level;
    try {
      level = CompatibilityLevel.parse(value.asText());
    } catch (final SchemaRegistryException e) {
      throw RestError.invalidCompatibilityLevel();
    }
    state.setLevel(subject, level);
    return Response.ok(Map.of("compatibility", level.name()));
  }

  private static Map<String, Object> view(final RegistryState.SubjectVersion version) {
    final Map<String, Object> body = new LinkedHashMap<>();
    body.put("subject", version.subject());
    body.put("version", version.version());
    body.put("id", version.id());
    body.put("schema", version.schema());
    return body;
  }

  private static RegistryState.SchemaRequest schemaRequest(final JsonNode body) {
    final JsonNode schema = body.get("schema");
    if (schema == null || !schema.isTextual()) {
      throw RestError.invalidSchema(
          "Invalid schema: the request needs a \"schema\" string, the schema's JSON as text");
    }
    final JsonNode type = body.get("schemaType");
    if (type != null && !type.isNull() && !type.isTextual()) {
      throw RestError.invalidSchema("Invalid schema type " + type + ": expected a string");
    }
    final JsonNode references = body.get("references");
    if (references != null && references.isArray() && !references.isEmpty()) {
      throw RestError.invalidSchema(
          "Invalid schema: schema references are not supported by this registry");
    }
    return new RegistryState.SchemaRequest(
        schema.asText(), type == null || type.isNull() ? null : type.asText());
  }

  private JsonNode readJson(final HttpExchange exchange) {
    final String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType != null) {
      final String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (!mediaType.isEmpty() && !ACCEPTED_BODY_TYPES.contains(mediaType)) {
        throw RestError.unsupportedMediaType();
      }
    }
    final byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    } catch (final IOException e) {
      throw new UncheckedIOException("Cannot read the request body", e);
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw RestError.tooLarge(MAX_BODY_BYTES);
    }
    final JsonNode body;
    try {
      body = mapper.readTree(bytes);
    } catch (final JsonProcessingException e) {
      throw RestError.malformedJson(e.getOriginalMessage());
    } catch (final IOException e) {
      throw new UncheckedIOException("Cannot read the request body", e);
    }
    if (body == null || !body.isObject()) {
      throw RestError.unprocessable("The request body must be a JSON object");
    }
    return body;
  }

  private static Response route(final String method, final Map<String, Supplier<Response>> handlers) {
    final Supplier<Response> handler = handlers.get(method);
    if (handler == null) {
      throw RestError.methodNotAllowed(String.join(", ", new TreeMap<>(handlers).keySet()));
    }
    return handler.get();
  }

  private static int parseId(final String text) {
    try {
      return Integer.parseInt(text);
    } catch (final NumberFormatException e) {
      // Jersey cannot convert the path parameter, so the resource does not match.
      throw RestError.notFound();
    }
  }

  private static boolean flag(final Map<String, String> query, final String name) {
    return Boolean.parseBoolean(query.get(name));
  }

  /** Splits a raw path into percent-decoded segments; a {@code +} stays a plus. */
  static List<String> segments(final String rawPath) {
    final List<String> segments = new ArrayList<>();
    if (rawPath == null) {
      return segments;
    }
    for (final String raw : rawPath.split("/")) {
      if (!raw.isEmpty()) {
        segments.add(decode(raw));
      }
    }
    return segments;
  }

  private static Map<String, String> query(final String rawQuery) {
    final Map<String, String> query = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (final String pair : rawQuery.split("&")) {
      final int eq = pair.indexOf('=');
      final String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      final String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      query.putIfAbsent(name, value);
    }
    return query;
  }

  private static String decode(final String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (final IllegalArgumentException e) {
      throw RestError.notFound();
    }
  }

  private void send(final HttpExchange exchange, final Response response) {
    try {
      final byte[] bytes = mapper.writeValueAsBytes(response.body());
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      if (response.allow() != null) {
        exchange.getResponseHeaders().set("Allow", response.allow());
      }
      exchange.sendResponseHeaders(response.status(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (final IOException e) {
      LOG.debug("Could not send the answer to {}: {}", exchange.getRemoteAddress(), e.toString());
    } finally {
      exchange.close();
    }
  }

  /** An answer: status, JSON body and, for a 405, the allowed methods. */
  private record Response(int status, Object body, String allow) {
    static Response ok(final Object body) {
      return new Response(200, body, null);
    }

    static Response error(final RestError error) {
      final Map<String, Object> body = new LinkedHashMap<>();
      body.put("error_code", error.errorCode());
      body.put("message", error.getMessage());
      return new Response(error.status(), body, error.allow());
    }
  }

  /** Names the pool's threads and keeps them from holding the JVM open. */
  private static final class DaemonThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(final Runnable task) {
      final Thread thread = new Thread(task, "registry-http-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }

  /** Configures a {@link RegistryServer}. Not thread-safe. */
  public static final class Builder {
    private int port;
    private SchemaStore store;
    private CompatibilityLevel defaultCompatibility = CompatibilityLevel.DEFAULT;
    private int threads = 4;
    private javax.net.ssl.SSLContext tls;
    private String basicAuthUserInfo;

    private Builder() {}

    /**
     * @param context serve HTTPS with this context (its key manager holds the server's
     *     certificate); default plain HTTP
     * @return this builder
     */
    public Builder tls(final javax.net.ssl.SSLContext context) {
      this.tls = Objects.requireNonNull(context, "context");
      return this;
    }

    /**
     * @param userInfo {@code user:password} every request must present with HTTP basic
     *     authentication; a request without it gets 401. Default: none needed
     * @return this builder
     */
    public Builder basicAuth(final String userInfo) {
      if (userInfo == null || userInfo.indexOf(':') < 1) {
        throw new IllegalArgumentException("basic auth needs user:password (value not shown)");
      }
      this.basicAuthUserInfo = userInfo;
      return this;
    }

    /**
     * @param port the port to listen on, or 0 (the default) for any free one
     * @return this builder
     */
    public Builder port(final int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * @param store where the registry keeps its state; the caller keeps ownership and closes it.
     *     Default: a new {@link InMemorySchemaStore}
     * @return this builder
     */
    public Builder store(final SchemaStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * @param level the global level until {@code PUT /config} sets one (Confluent's {@code
     *     schema.compatibility.level}); default BACKWARD
     * @return this builder
     */
    public Builder defaultCompatibility(final CompatibilityLevel level) {
      this.defaultCompatibility = Objects.requireNonNull(level, "level");
      return this;
    }

    /**
     * @param threads how many requests are served at once, 1..64; default 4
     * @return this builder
     */
    public Builder threads(final int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("threads must be 1..64, was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * @return a server, not yet started
     */
    public RegistryServer build() {
      return new RegistryServer(this);
    }
  }
}
