package dev.outpost.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.registry.CompatibilityLevel;
import dev.outpost.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded schema registry that speaks Confluent Schema Registry's REST protocol for Avro, for
 * Outpost's demo and tests, and for {@code outpost registry}. It listens on the loopback interface
 * ({@code 127.0.0.1}) unless {@linkplain Builder#host(String) told otherwise}, and keeps its state in
 * a {@link SchemaStore}.
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
 *   <li>{@code POST /subjects/{s}/versions[?normalize=true]} {@code
 *       {"schema":"...","schemaType":"AVRO","references":[...],"id":N,"version":N}} &rarr; {@code
 *       {"id":N}}; 409 (error code 40901) if incompatible, 422/42201 if invalid or not AVRO or a
 *       reference does not resolve, 42205 when the mode forbids it ({@code id} needs IMPORT)
 *   <li>{@code POST /subjects/{s}[?normalize=true]} &rarr; {@code
 *       {"subject","version","id","references","schema"}} ({@code references} only when there are
 *       any); 40401, 40403
 *   <li>{@code GET /schemas/ids/{id}} &rarr; {@code {"schema":"...","references":[...]}}; {@code
 *       GET /schemas/ids/{id}/schema} (the raw schema text), {@code /schemas/ids/{id}/subjects},
 *       {@code /schemas/ids/{id}/versions} ({@code [{"subject","version"}]}), each {@code
 *       [?deleted=true]}; 40403
 *   <li>{@code GET /schemas[?subjectPrefix=&deleted=true&latestOnly=true]} &rarr; version bodies
 *   <li>{@code GET /schemas/types} &rarr; {@code ["AVRO"]}
 *   <li>{@code GET /subjects[?subjectPrefix=]}, {@code GET /subjects/{s}/versions} (40401), {@code
 *       GET /subjects/{s}/versions/{v|latest}} (40401, 40402, 42202), {@code .../{v}/schema} (the
 *       raw text), {@code .../{v}/referencedby} (ids of the schemas that reference it); {@code
 *       ?deleted=true} includes soft-deleted subjects or versions, {@code ?deletedOnly=true} lists
 *       only those
 *   <li>{@code DELETE /subjects/{s}[?permanent=true]} &rarr; the versions deleted, {@code [1,2]};
 *       40401, 40404 (soft delete of a soft-deleted subject), 40405 (permanent before soft)
 *   <li>{@code DELETE /subjects/{s}/versions/{v|latest}[?permanent=true]} &rarr; the version,
 *       {@code 2}; 40401, 40402, 40406 (already soft-deleted), 40407 (permanent before soft),
 *       42202. A soft-deleted version's id still resolves; registering its schema again makes a
 *       new version with the same id and removes the soft-deleted one for good
 *   <li>{@code POST /compatibility/subjects/{s}/versions[?verbose=true]} (against the versions the
 *       level checks: all for a transitive level, else the latest) and {@code POST
 *       /compatibility/subjects/{s}/versions/{v|latest}[?verbose=true]} &rarr; {@code
 *       {"is_compatible":true}}, plus {@code "messages"} when verbose
 *   <li>{@code GET|PUT|DELETE /config}, {@code GET|PUT|DELETE
 *       /config/{s}[?defaultToGlobal=true]} (40401 deleting a level never set, 40408, 42203,
 *       42205 when read-only)
 *   <li>{@code GET|PUT|DELETE /mode} and {@code /mode/{s}[?defaultToGlobal=true]} {@code
 *       {"mode":"READWRITE|READONLY|READONLY_OVERRIDE|IMPORT"}}, {@code PUT ...?force=true} (40401,
 *       40409, 42204, 42205)
 * </ul>
 *
 * <p>Behaviours taken from Confluent's source ({@code CompatibilityResource}, {@code
 * ConfigResource}, {@code Errors}): testing compatibility against {@code latest} of a subject with
 * no versions answers {@code is_compatible: true}, while a numbered version it lacks is 40402 (not
 * 40401); {@code -1} means {@code latest}; a verbose check of an unparseable schema answers {@code
 * is_compatible: false} with the parse error as its message. An incompatible schema is HTTP 409
 * with error code 40901, as Confluent's registries answer since Confluent Platform 8.2.0 (older
 * ones said 409; Outpost's client takes either).
 *
 * <p>Subjects in paths are percent-decoded ({@code +} stays a plus, as in a URI path). Request
 * bodies may be sent as {@code application/vnd.schemaregistry.v1+json}, {@code
 * application/vnd.schemaregistry+json}, {@code application/json} or {@code
 * application/octet-stream}; answers are {@code application/vnd.schemaregistry.v1+json}. A body that
 * is not JSON is 400 (error code 400); JSON of the wrong shape is 422. Unknown paths are 404 and
 * wrong methods 405, both with an error body.
 *
 * <p><b>Slow and stalled clients.</b> HTTP runs on Jetty's non-blocking connector: a request's
 * headers and body are read without holding a thread, and only a complete request goes to one of
 * the {@linkplain Builder#threads(int) workers}. A client that stops sending holds no worker, and
 * is disconnected once it has sent nothing for the {@linkplain Builder#idleTimeout(Duration) idle
 * timeout} (30 s by default). When every worker is busy and the {@linkplain
 * Builder#queueCapacity(int) queue} is full, a request is answered at once with 503 (error code
 * 503) and {@code Retry-After: 1}, which registry clients retry. At most {@value
 * #MAX_CONNECTIONS} connections are open at once; beyond that the server stops accepting until one
 * closes.
 *
 * <p><b>When Kafka is slow or away.</b> A read that finds nothing (an unknown id, subject or
 * version) reads the store again for what other registries wrote; misses that come together share
 * that read, and each waits for it at most 2 s, then answers 503 (error code 50002) with {@code
 * Retry-After: 1}, so reads that find what they want keep the workers. A store that fails answers
 * 500 (error code 50001) whose message says what failed and to check that Kafka is reachable; the
 * log gets one warning line per request, without a stack trace.
 *
 * <p>The server never closes its store: whoever made the store closes it, so one store can be
 * replayed into a later server. Thread-safe.
 */
public final class RegistryServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);

  /** The content type of every answer. */
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  /** How many connections may be open at once. */
  public static final int MAX_CONNECTIONS = 256;

  private static final Set<String> ACCEPTED_BODY_TYPES =
      Set.of(
          CONTENT_TYPE,
          "application/vnd.schemaregistry+json",
          "application/json",
          "application/octet-stream");
  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
  // Jetty's own threads: one acceptor, one selector, and a few to run I/O callbacks. They never
  // run a request's work, which goes to the workers.
  private static final int IO_THREADS = 8;
  private static final String GET = "GET";
  private static final String POST = "POST";
  private static final String PUT = "PUT";
  private static final String DELETE = "DELETE";

  private final int requestedPort;
  private final int threads;
  private final int queueCapacity;
  private final Duration idleTimeout;
  private final SchemaStore store;
  private final RegistryState state;
  private final ObjectMapper mapper = new ObjectMapper();
  private final String host;
  private final SSLContext tls;
  private final boolean needClientCertificate;
  // The Authorization header of each user that may call; empty when none is needed.
  private final List<String> basicAuth;

  private Server http;
  private int boundPort;
  private ThreadPoolExecutor workers;
  private boolean closed;

  private RegistryServer(final Builder builder) {
    this.host = builder.host;
    this.tls = builder.tls;
    this.needClientCertificate = builder.needClientCertificate;
    this.basicAuth =
        builder.basicAuthUserInfos.stream()
            .map(
                userInfo ->
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)))
            .toList();
    this.requestedPort = builder.port;
    this.threads = builder.threads;
    this.queueCapacity = builder.queueCapacity;
    this.idleTimeout = builder.idleTimeout;
    this.store = builder.store == null ? new InMemorySchemaStore() : builder.store;
    this.state = new RegistryState(store, builder.defaultCompatibility, builder.missWait);
  }

  /**
   * @return a builder for a server on any free port, with an in-memory store and BACKWARD as the
   *     default compatibility level
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Replays the store, then binds to its {@linkplain Builder#host(String) host} ({@code 127.0.0.1}
   * by default) and starts serving.
   *
   * @throws IllegalStateException if the server was already started or closed, or cannot start
   * @throws UncheckedIOException if the port cannot be bound (its cause is the {@link
   *     BindException})
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
    final ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queueCapacity),
            new DaemonThreads("registry-worker-"),
            new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);

    final QueuedThreadPool io = new QueuedThreadPool(IO_THREADS, 2);
    io.setName("registry-io");
    io.setDaemon(true);
    io.setReservedThreads(0);
    final Server server =
        new Server(io, new ScheduledExecutorScheduler("registry-timer", true), null);
    final HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendXPoweredBy(false);
    // A subject may hold an encoded slash ("team%2Falerts"): the path is split, then each segment
    // decoded here, so an encoded separator is data, not a path step.
    config.setUriCompliance(
        UriCompliance.DEFAULT.with(
            "registry-subjects",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
            UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
    final HttpConnectionFactory plain = new HttpConnectionFactory(config);
    final ServerConnector bound;
    if (tls != null) {
      final SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setSslContext(tls);
      ssl.setNeedClientAuth(needClientCertificate);
      bound =
          new ServerConnector(
              server, 1, 1, new SslConnectionFactory(ssl, plain.getProtocol()), plain);
    } else {
      bound = new ServerConnector(server, 1, 1, plain);
    }
    bound.setHost(host);
    bound.setPort(requestedPort);
    bound.setIdleTimeout(idleTimeout.toMillis());
    server.addConnector(bound);
    server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, bound));
    server.setHandler(new Intake(pool));
    // Errors Jetty answers itself (a malformed request, say) get the registry's JSON error body.
    server.setErrorHandler(
        (request, response, callback) -> {
          final int status = response.getStatus();
          send(
              response,
              callback,
              Response.error(
                  new RestError(
                      status, status, "HTTP " + status + " " + HttpStatus.getMessage(status))));
          return true;
        });
    try {
      server.start();
    } catch (final Exception e) {
      stopQuietly(server);
      pool.shutdownNow();
      final BindException bind = findCause(e, BindException.class);
      if (bind != null) {
        throw new UncheckedIOException(
            "Cannot bind the registry to " + host + ":" + requestedPort, bind);
      }
      throw new IllegalStateException("Cannot start the registry's HTTP server", e);
    }
    http = server;
    boundPort = bound.getLocalPort();
    workers = pool;
    LOG.info(
        "Schema registry listening on {} ({} subjects, {} schemas from {})",
        url(),
        state.subjectCount(),
        state.schemaCount(),
        store);
  }

  /**
   * @return the bound address ({@code 127.0.0.1} unless another host was asked for)
   * @throws IllegalStateException if the server is not started
   */
  public synchronized InetSocketAddress address() {
    if (http == null) {
      throw new IllegalStateException("The registry server is not started");
    }
    return new InetSocketAddress(host, boundPort);
  }

  /**
   * @return the port the server listens on
   * @throws IllegalStateException if the server is not started
   */
  public int port() {
    return address().getPort();
  }

  /**
   * @return the base URL, {@code http://127.0.0.1:PORT} (the bound host in place of {@code
   *     127.0.0.1}), or {@code https://} when serving TLS
   * @throws IllegalStateException if the server is not started
   */
  public String url() {
    final InetSocketAddress bound = address();
    final String host = bound.getAddress().getHostAddress();
    return (tls != null ? "https://" : "http://")
        + (bound.getAddress() instanceof Inet6Address ? "[" + host + "]" : host)
        + ":"
        + bound.getPort();
  }

  /** Stops serving and releases the port. Idempotent; leaves the store open. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (http != null) {
      stopQuietly(http);
      workers.shutdown();
      try {
        if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
          workers.shutdownNow();
        }
      } catch (final InterruptedException e) {
        workers.shutdownNow();
        Thread.currentThread().interrupt();
      }
      LOG.info("Schema registry on port {} stopped", boundPort);
    }
    state.close();
  }

  private static void stopQuietly(final Server server) {
    try {
      server.stop();
    } catch (final Exception e) {
      LOG.warn("Failed to stop the registry's HTTP server cleanly: {}", e.toString());
    }
  }

  private static <T extends Throwable> T findCause(final Throwable failure, final Class<T> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
    }
    return null;
  }

  /** A complete request, as the routes see it. */
  private record Call(
      String method, String rawPath, String rawQuery, String contentType, byte[] body) {}

  /**
   * Takes requests off Jetty without blocking: checks the credentials, reads the body
   * asynchronously, then hands the complete request to a worker, or answers 503 when none is free
   * and the queue is full.
   */
  private final class Intake extends Handler.Abstract.NonBlocking {
    private final ThreadPoolExecutor pool;

    Intake(final ThreadPoolExecutor pool) {
      this.pool = pool;
    }

    @Override
    public boolean handle(
        final Request request,
        final org.eclipse.jetty.server.Response response,
        final Callback callback) {
      final String method = request.getMethod().toUpperCase(Locale.ROOT);
      final HttpURI uri = request.getHttpURI();
      if (!basicAuth.isEmpty()
          && !anyConstantTimeEquals(
              basicAuth, request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
        send(
            response,
            callback,
            Response.error(new RestError(401, 401, "Unauthorized"))
                .with("WWW-Authenticate", "Basic realm=\"schema-registry\""));
        return true;
      }
      if (request.getLength() > MAX_BODY_BYTES) {
        send(response, callback, Response.error(RestError.tooLarge(MAX_BODY_BYTES)));
        return true;
      }
      final String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
      // No thread waits for the body: the future completes when the last byte is in, or fails
      // when the client goes quiet for the idle timeout (then Jetty closes the connection).
      Content.Source.asByteArrayAsync(
          request,
          MAX_BODY_BYTES + 1,
          Promise.Invocable.from(
              InvocationType.NON_BLOCKING,
              (body, failure) -> {
                if (failure != null) {
                  LOG.debug(
                      "{} {} from {}: the body did not arrive: {}",
                      method,
                      uri.getPath(),
                      Request.getRemoteAddr(request),
                      failure.toString());
                  // Jetty's aggregation stops with IllegalStateException past the size given.
                  if (findCause(failure, IllegalStateException.class) != null) {
                    send(response, callback, Response.error(RestError.tooLarge(MAX_BODY_BYTES)));
                  } else {
                    callback.failed(failure);
                  }
                  return;
                }
                if (body.length > MAX_BODY_BYTES) {
                  send(response, callback, Response.error(RestError.tooLarge(MAX_BODY_BYTES)));
                  return;
                }
                final Call call =
                    new Call(method, uri.getPath(), uri.getQuery(), contentType, body);
                try {
                  pool.execute(() -> send(response, callback, answer(call)));
                } catch (final RejectedExecutionException e) {
                  LOG.debug(
                      "{} {}: all {} workers busy and {} requests queued; answering 503",
                      method,
                      uri.getPath(),
                      threads,
                      queueCapacity);
                  send(
                      response,
                      callback,
                      Response.error(RestError.busy()).with("Retry-After", "1"));
                }
              }));
      return true;
    }
  }

  private Response answer(final Call call) {
    try {
      return dispatch(call);
    } catch (final RestError e) {
      LOG.debug(
          "{} {} -> {} {}: {}",
          call.method(),
          call.rawPath(),
          e.status(),
          e.errorCode(),
          e.getMessage());
      final Response error = Response.error(e);
      return e.status() == 503 ? error.with("Retry-After", "1") : error;
    } catch (final SchemaStoreException e) {
      // Expected while Kafka is away: one line per request, the trace only for debugging.
      LOG.warn("{} {} failed in the schema store: {}", call.method(), call.rawPath(), causes(e));
      LOG.debug("Schema store failure", e);
      return Response.error(RestError.storeFailed(causes(e)));
    } catch (final RuntimeException e) {
      LOG.error("{} {} failed", call.method(), call.rawPath(), e);
      return Response.error(new RestError(500, 500, "Internal Server Error"));
    }
  }

  /** A failure's message, with its causes' where they add something ("... : Timeout ..."). */
  static String causes(final Throwable failure) {
    final StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      final String message = cause.getMessage();
      if (message != null && !message.isBlank() && text.indexOf(message) < 0) {
        text.append(": ").append(message);
      }
    }
    return text.toString();
  }

  /** Compares with every expected value, so the time taken does not say which one was close. */
  private static boolean anyConstantTimeEquals(final List<String> expected, final String given) {
    boolean found = false;
    for (final String one : expected) {
      found |= constantTimeEquals(one, given);
    }
    return found;
  }

  private static boolean constantTimeEquals(final String expected, final String given) {
    return given != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  private Response dispatch(final Call exchange) {
    final String method = exchange.method();
    final List<String> segments = segments(exchange.rawPath());
    final Map<String, String> query = query(exchange.rawQuery());
    final int count = segments.size();
    if (count == 0) {
      return route(method, Map.of(GET, () -> Response.ok(Map.of())));
    }
    switch (segments.get(0)) {
      case "subjects":
        if (count == 1) {
          return route(method, Map.of(GET, () -> listSubjects(query)));
        }
        final String subject = segments.get(1);
        if (count == 2) {
          return route(
              method,
              Map.of(
                  POST, () -> lookup(exchange, subject, flag(query, "normalize")),
                  DELETE, () -> deleteSubject(subject, query)));
        }
        if ("versions".equals(segments.get(2))) {
          if (count == 3) {
            return route(
                method,
                Map.of(
                    GET, () -> listVersions(subject, query),
                    POST, () -> register(exchange, subject, flag(query, "normalize"))));
          }
          if (count == 4) {
            final String version = segments.get(3);
            return route(
                method,
                Map.of(
                    GET, () -> getVersion(subject, version, query),
                    DELETE, () -> deleteVersion(subject, version, query)));
          }
          if (count == 5) {
            return versionPart(method, subject, segments.get(3), segments.get(4));
          }
        }
        break;
      case "schemas":
        return schemas(method, segments, query);
      case "mode":
        return mode(exchange, segments, query);
      case "compatibility":
        if (count == 4 && "subjects".equals(segments.get(1)) && "versions".equals(segments.get(3))) {
          return route(
              method,
              Map.of(
                  POST,
                  () ->
                      testCompatibilityWithAll(
                          exchange,
                          segments.get(2),
                          flag(query, "verbose"),
                          flag(query, "normalize"))));
        }
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
                  PUT, () -> putConfig(exchange, null),
                  DELETE, () -> deleteConfig(null)));
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
                  () -> putConfig(exchange, configSubject),
                  DELETE,
                  () -> deleteConfig(configSubject)));
        }
        break;
      default:
        break;
    }
    throw RestError.notFound();
  }

  // Listings with deleted versions, and deletes (Confluent's SubjectsResource and
  // SubjectVersionsResource).

  /** {@code GET /subjects[?subjectPrefix=][&deleted=true][&deletedOnly=true]}. */
  private Response listSubjects(final Map<String, String> query) {
    return Response.ok(state.subjects(query.get("subjectPrefix"), deletedFilter(query)));
  }

  /** {@code GET /subjects/{s}/versions[?deleted=true][&deletedOnly=true]}. */
  private Response listVersions(final String subject, final Map<String, String> query) {
    return Response.ok(state.versions(subject, deletedFilter(query)));
  }

  /** {@code GET /subjects/{s}/versions/{v}[?deleted=true]}. */
  private Response getVersion(
      final String subject, final String version, final Map<String, String> query) {
    return Response.ok(view(state.version(subject, version, flag(query, "deleted"))));
  }

  /** {@code DELETE /subjects/{s}[?permanent=true]}: the versions deleted. */
  private Response deleteSubject(final String subject, final Map<String, String> query) {
    return Response.ok(state.deleteSubject(subject, flag(query, "permanent")));
  }

  /** {@code DELETE /subjects/{s}/versions/{v}[?permanent=true]}: the version deleted. */
  private Response deleteVersion(
      final String subject, final String version, final Map<String, String> query) {
    return Response.ok(state.deleteVersion(subject, version, flag(query, "permanent")));
  }

  private static RegistryState.Filter deletedFilter(final Map<String, String> query) {
    return RegistryState.Filter.of(flag(query, "deleted"), flag(query, "deletedOnly"));
  }

  private Response register(final Call exchange, final String subject, final boolean normalize) {
    final int id = state.register(subject, schemaRequest(readJson(exchange)), normalize);
    return Response.ok(Map.of("id", id));
  }

  private Response lookup(final Call exchange, final String subject, final boolean normalize) {
    return Response.ok(view(state.lookup(subject, schemaRequest(readJson(exchange)), normalize)));
  }

  // ---- Read API: /schemas..., versions/{v}/schema, versions/{v}/referencedby ----

  /**
   * {@code GET /schemas[?subjectPrefix=&deleted=&latestOnly=]}, {@code /schemas/types}, {@code
   * /schemas/ids/{id}}, and {@code /schemas/ids/{id}/schema|subjects|versions[?deleted=true]}.
   */
  private Response schemas(
      final String method, final List<String> segments, final Map<String, String> query) {
    final int count = segments.size();
    if (count == 1) {
      return route(
          method,
          Map.of(
              GET,
              () ->
                  Response.ok(
                      state
                          .schemas(
                              query.get("subjectPrefix"),
                              flag(query, "deleted"),
                              flag(query, "latestOnly"))
                          .stream()
                          .map(RegistryServer::view)
                          .toList())));
    }
    if (count == 2 && "types".equals(segments.get(1))) {
      return route(method, Map.of(GET, () -> Response.ok(List.of(RegistryState.AVRO))));
    }
    if (count < 3 || count > 4 || !"ids".equals(segments.get(1))) {
      throw RestError.notFound();
    }
    final int id = parseId(segments.get(2));
    final boolean deleted = flag(query, "deleted");
    if (count == 3) {
      return route(method, Map.of(GET, () -> Response.ok(schemaById(id))));
    }
    switch (segments.get(3)) {
      case "schema":
        return route(method, Map.of(GET, () -> Response.raw(state.schemaById(id))));
      case "subjects":
        return route(method, Map.of(GET, () -> Response.ok(state.subjectsForId(id, deleted))));
      case "versions":
        return route(
            method,
            Map.of(
                GET,
                () ->
                    Response.ok(
                        state.versionsForId(id, deleted).stream()
                            .map(RegistryServer::subjectAndVersion)
                            .toList())));
      default:
        throw RestError.notFound();
    }
  }

  /** {@code {"subject":"s","version":1}}, in that order, as Confluent's SubjectVersion. */
  private static Map<String, Object> subjectAndVersion(final RegistryState.SubjectVersion version) {
    final Map<String, Object> pair = new LinkedHashMap<>();
    pair.put("subject", version.subject());
    pair.put("version", version.version());
    return pair;
  }

  private Map<String, Object> schemaById(final int id) {
    final Map<String, Object> body = new LinkedHashMap<>();
    body.put("schema", state.schemaById(id));
    final List<StoreRecord.Reference> references = state.referencesOf(id);
    if (!references.isEmpty()) {
      body.put("references", references(references));
    }
    return body;
  }

  /** {@code GET /subjects/{s}/versions/{v}/schema} and {@code .../referencedby}. */
  private Response versionPart(
      final String method, final String subject, final String version, final String part) {
    switch (part) {
      case "schema":
        return route(
            method, Map.of(GET, () -> Response.raw(state.version(subject, version).schema())));
      case "referencedby":
        return route(method, Map.of(GET, () -> Response.ok(state.referencedBy(subject, version))));
      default:
        throw RestError.notFound();
    }
  }

  // ---- Compatibility against every version; config deletion; modes ----

  private Response testCompatibilityWithAll(
      final Call exchange, final String subject, final boolean verbose, final boolean normalize) {
    final List<String> messages =
        state.testCompatibilityWithAll(
            subject, schemaRequest(readJson(exchange)), verbose, normalize);
    final Map<String, Object> body = new LinkedHashMap<>();
    body.put("is_compatible", messages.isEmpty());
    if (verbose) {
      body.put("messages", messages);
    }
    return Response.ok(body);
  }

  private Response deleteConfig(final String subject) {
    return Response.ok(Map.of("compatibilityLevel", state.deleteLevel(subject).name()));
  }

  /** {@code GET|PUT|DELETE /mode} and {@code /mode/{subject}}. */
  private Response mode(
      final Call exchange, final List<String> segments, final Map<String, String> query) {
    if (segments.size() > 2) {
      throw RestError.notFound();
    }
    final String subject = segments.size() == 2 ? segments.get(1) : null;
    final boolean defaultToGlobal = flag(query, "defaultToGlobal");
    return route(
        exchange.method(),
        Map.of(
            GET,
            () ->
                Response.ok(
                    Map.of(
                        "mode",
                        (subject == null
                                ? state.globalMode()
                                : state.subjectMode(subject, defaultToGlobal))
                            .name())),
            PUT,
            () -> putMode(exchange, subject, flag(query, "force")),
            DELETE,
            () -> Response.ok(Map.of("mode", state.deleteMode(subject).name()))));
  }

  private Response putMode(final Call exchange, final String subject, final boolean force) {
    final JsonNode value = readJson(exchange).get("mode");
    final RegistryMode mode =
        RegistryMode.parse(value != null && value.isTextual() ? value.asText() : null)
            .orElseThrow(RestError::invalidMode);
    state.setMode(subject, mode, force);
    return Response.ok(Map.of("mode", mode.name()));
  }

  private Response testCompatibility(
      final Call exchange,
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

  private Response putConfig(final Call exchange, final String subject) {
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
    if (!version.references().isEmpty()) {
      body.put("references", references(version.references()));
    }
    body.put("schema", version.schema());
    return body;
  }

  private static List<Map<String, Object>> references(
      final List<StoreRecord.Reference> references) {
    final List<Map<String, Object>> list = new ArrayList<>();
    for (final StoreRecord.Reference reference : references) {
      final Map<String, Object> item = new LinkedHashMap<>();
      item.put("name", reference.name());
      item.put("subject", reference.subject());
      item.put("version", reference.version());
      list.add(item);
    }
    return list;
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
    return new RegistryState.SchemaRequest(
        schema.asText(),
        type == null || type.isNull() ? null : type.asText(),
        references(body.get("references")),
        optionalInt(body, "id"),
        optionalInt(body, "version"));
  }

  /** A request's {@code references}: {@code [{"name","subject","version"}]}, or none. */
  private static List<StoreRecord.Reference> references(final JsonNode references) {
    if (references == null || references.isNull()) {
      return List.of();
    }
    if (!references.isArray()) {
      throw RestError.invalidSchema("Invalid schema: \"references\" must be an array");
    }
    final List<StoreRecord.Reference> list = new ArrayList<>();
    for (final JsonNode reference : references) {
      final JsonNode name = reference.get("name");
      final JsonNode subject = reference.get("subject");
      final JsonNode version = reference.get("version");
      if (name == null
          || !name.isTextual()
          || subject == null
          || !subject.isTextual()
          || version == null
          || !version.canConvertToInt()
          || !version.isIntegralNumber()) {
        throw RestError.invalidSchema(
            "Invalid schema: each reference needs a \"name\" and \"subject\" string and an"
                + " integer \"version\", was "
                + reference);
      }
      list.add(new StoreRecord.Reference(name.asText(), subject.asText(), version.asInt()));
    }
    return list;
  }

  private static Integer optionalInt(final JsonNode body, final String field) {
    final JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw RestError.unprocessable("\"" + field + "\" must be an integer, was " + value);
    }
    return value.asInt();
  }

  private JsonNode readJson(final Call call) {
    final String contentType = call.contentType();
    if (contentType != null) {
      final String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (!mediaType.isEmpty() && !ACCEPTED_BODY_TYPES.contains(mediaType)) {
        throw RestError.unsupportedMediaType();
      }
    }
    final JsonNode body;
    try {
      body = mapper.readTree(call.body());
    } catch (final JsonProcessingException e) {
      throw RestError.malformedJson(e.getOriginalMessage());
    } catch (final IOException e) {
      throw new UncheckedIOException("Cannot read the request body", e);
    }
    if (body == null || body.isMissingNode() || !body.isObject()) {
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
    for (final String raw : rawPath.split("/", -1)) {
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
    for (final String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue; // "a=1&" or "a=1&&b=2": an empty pair names no parameter
      }
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

  /** Writes an answer without blocking; completing the write completes the request. */
  private void send(
      final org.eclipse.jetty.server.Response response,
      final Callback callback,
      final Response answer) {
    byte[] bytes;
    int status = answer.status();
    try {
      bytes =
          answer.body() instanceof RawText raw
              ? raw.text().getBytes(StandardCharsets.UTF_8)
              : mapper.writeValueAsBytes(answer.body());
    } catch (final JsonProcessingException e) {
      LOG.error("Cannot write an answer as JSON", e);
      status = 500;
      bytes =
          "{\"error_code\":500,\"message\":\"Internal Server Error\"}"
              .getBytes(StandardCharsets.UTF_8);
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    for (final Map.Entry<String, String> header : answer.headers().entrySet()) {
      response.getHeaders().put(header.getKey(), header.getValue());
    }
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  /** An answer: status, JSON body and extra headers (the allowed methods of a 405, say). */
  private record Response(int status, Object body, Map<String, String> headers) {
    static Response ok(final Object body) {
      return new Response(200, body, Map.of());
    }

    /** A body sent as it is, not as a JSON string: a schema's own text, as Confluent sends it. */
    static Response raw(final String text) {
      return new Response(200, new RawText(text), Map.of());
    }

    static Response error(final RestError error) {
      final Map<String, Object> body = new LinkedHashMap<>();
      body.put("error_code", error.errorCode());
      body.put("message", error.getMessage());
      return error.allow() == null
          ? new Response(error.status(), body, Map.of())
          : new Response(error.status(), body, Map.of("Allow", error.allow()));
    }

    Response with(final String header, final String value) {
      final Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(header, value);
      return new Response(status, body, more);
    }
  }

  /** A body that is already the text to send. */
  private record RawText(String text) {}

  /** Names the workers and keeps them from holding the JVM open. */
  private static final class DaemonThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();

    DaemonThreads(final String prefix) {
      this.prefix = prefix;
    }

    @Override
    public Thread newThread(final Runnable task) {
      final Thread thread = new Thread(task, prefix + count.incrementAndGet());
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
    private int queueCapacity = 128;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration missWait = RegistryState.DEFAULT_MISS_WAIT;
    private String host = InetAddress.getLoopbackAddress().getHostAddress();
    private SSLContext tls;
    private boolean needClientCertificate;
    private final List<String> basicAuthUserInfos = new ArrayList<>();

    private Builder() {}

    /**
     * @param host the address to listen on; default {@code 127.0.0.1}. Anything else exposes the
     *     registry beyond this machine: pair it with {@link #basicAuth(String)} or client
     *     certificates
     * @return this builder
     */
    public Builder host(final String host) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must be an address or a host name");
      }
      this.host = host.trim();
      return this;
    }

    /**
     * @param need whether a TLS client must present a certificate the {@linkplain #tls(SSLContext)
     *     context}'s trust managers accept; default false. Only with TLS
     * @return this builder
     */
    public Builder needClientCertificate(final boolean need) {
      this.needClientCertificate = need;
      return this;
    }

    /**
     * @param context serve HTTPS with this context (its key manager holds the server's
     *     certificate); default plain HTTP
     * @return this builder
     */
    public Builder tls(final SSLContext context) {
      this.tls = Objects.requireNonNull(context, "context");
      return this;
    }

    /**
     * @param userInfo {@code user:password} a request may present with HTTP basic authentication;
     *     call once per user. Once one is given, a request without one of them gets 401. Default:
     *     none needed
     * @return this builder
     */
    public Builder basicAuth(final String userInfo) {
      if (userInfo == null || userInfo.indexOf(':') < 1) {
        throw new IllegalArgumentException("basic auth needs user:password (value not shown)");
      }
      this.basicAuthUserInfos.add(userInfo);
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
     * @param capacity how many complete requests may wait for a worker; past that a request is
     *     answered 503 at once. 1..10000; default 128
     * @return this builder
     */
    public Builder queueCapacity(final int capacity) {
      if (capacity < 1 || capacity > 10_000) {
        throw new IllegalArgumentException("queueCapacity must be 1..10000, was " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    /**
     * @param timeout how long a connection may send nothing (in the middle of a request, or
     *     between requests) before the server closes it; time the registry spends answering (a
     *     slow store write) does not count. Default 30 s
     * @return this builder
     */
    public Builder idleTimeout(final Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("idleTimeout must be positive, was " + timeout);
      }
      this.idleTimeout = timeout;
      return this;
    }

    /**
     * For tests: how long a read that found nothing waits for the store to be read for newer
     * writes before it answers 503. Default 2 s.
     *
     * @param wait the wait, positive
     * @return this builder
     */
    Builder missWait(final Duration wait) {
      this.missWait = Objects.requireNonNull(wait, "wait");
      return this;
    }

    /**
     * @return a server, not yet started
     */
    public RegistryServer build() {
      if (needClientCertificate && tls == null) {
        throw new IllegalStateException("Client certificates need TLS: give a tls(SSLContext)");
      }
      return new RegistryServer(this);
    }
  }
}
