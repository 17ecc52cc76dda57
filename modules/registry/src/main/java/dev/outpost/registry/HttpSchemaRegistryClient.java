package dev.outpost.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaRegistryClient} that speaks Confluent Schema Registry's REST protocol over {@link
 * HttpClient}, with Jackson for the JSON bodies.
 *
 * <p>Every request carries {@code Accept: application/vnd.schemaregistry.v1+json} (and that
 * content type when it has a body), and the configured basic or bearer credentials. A request that
 * fails with an I/O error is tried on the next configured URL; when every URL fails, or the
 * registry answers HTTP 5xx, it is retried after an exponentially growing wait, up to {@link
 * RegistryClientConfig#maxRetries()} times, and then fails with {@link RegistryServerException}.
 * Every request this client makes is idempotent, so retrying is safe. Any other error answer maps to
 * the typed exception of its {@code error_code}, with a message naming the method, the URL and the
 * registry's own message.
 *
 * <p>Schemas by id, ids by (subject, schema) and versions by (subject, schema) are cached in
 * bounded LRU caches, so a serializer or deserializer in steady state makes no HTTP call per
 * record. Ids are immutable in the registry, so these entries never go stale. Latest versions,
 * subject lists and compatibility levels change, and are never cached. Thread-safe.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

  /** The registry's versioned media type, sent as Content-Type and Accept. */
  public static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);

  /** Confluent's error code for a subject that has no compatibility level of its own. */
  private static final int SUBJECT_LEVEL_NOT_CONFIGURED = 40408;

  /** The error code Confluent's client uses for a response body it cannot parse. */
  private static final int UNPARSEABLE_RESPONSE = 50005;

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** How much of a non-JSON error body goes into an exception message. */
  private static final int MAX_BODY_IN_MESSAGE = 200;

  /** Waits between retries; replaced in tests to observe the backoff without waiting. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** A subject and a schema: the key of the id and version caches. */
  private record SubjectSchema(String subject, Schema schema) {}

  private final RegistryClientConfig config;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final Sleeper sleeper;
  private final String authorization;
  private final AtomicInteger preferredUrl = new AtomicInteger();
  private final LruCache<Integer, Schema> schemasById;
  private final LruCache<SubjectSchema, Integer> idsBySubjectSchema;
  private final LruCache<SubjectSchema, RegisteredSchema> versionsBySubjectSchema;

  /**
   * @param config where the registry is and how to talk to it
   * @throws IllegalStateException if no TLS context is configured and the JVM's default one cannot
   *     be created
   */
  public HttpSchemaRegistryClient(final RegistryClientConfig config) {
    this(config, duration -> Thread.sleep(duration.toMillis()));
  }

  /**
   * @param config where the registry is and how to talk to it
   * @param sleeper how to wait between retries
   */
  HttpSchemaRegistryClient(final RegistryClientConfig config, final Sleeper sleeper) {
    this.config = Objects.requireNonNull(config, "config");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(config.sslContext() != null ? config.sslContext() : defaultSslContext())
            .build();
    this.authorization = authorizationHeader(config);
    this.schemasById = new LruCache<>(config.cacheCapacity());
    this.idsBySubjectSchema = new LruCache<>(config.cacheCapacity());
    this.versionsBySubjectSchema = new LruCache<>(config.cacheCapacity());
  }

  /**
   * @return the configuration this client was built with
   */
  public RegistryClientConfig config() {
    return config;
  }

  @Override
  public int register(final String subject, final Schema schema) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
    final SubjectSchema key = new SubjectSchema(subject, schema);
    final Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    final String path = "/subjects/" + encode(subject) + "/versions";
    final JsonNode response = execute("POST", path, schemaBody(schema));
    final int id = requiredInt(response, "id", "POST", path);
    idsBySubjectSchema.put(key, id);
    schemasById.put(id, schema);
    LOG.debug("Registered schema {} under subject {} as id {}", schema.getFullName(), subject, id);
    return id;
  }

  @Override
  public RegisteredSchema lookup(final String subject, final Schema schema) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
    final SubjectSchema key = new SubjectSchema(subject, schema);
    final RegisteredSchema cached = versionsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    final String path = "/subjects/" + encode(subject);
    final JsonNode response = execute("POST", path, schemaBody(schema));
    final RegisteredSchema found =
        new RegisteredSchema(
            textOr(response, "subject", subject),
            requiredInt(response, "id", "POST", path),
            requiredInt(response, "version", "POST", path),
            schema);
    versionsBySubjectSchema.put(key, found);
    idsBySubjectSchema.put(key, found.id());
    schemasById.put(found.id(), schema);
    return found;
  }

  @Override
  public Schema getById(final int id) {
    final Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    final String path = "/schemas/ids/" + id;
    final JsonNode response = execute("GET", path, null);
    final Schema schema = parseSchema(response, "GET", path);
    schemasById.put(id, schema);
    return schema;
  }

  @Override
  public List<String> subjects() {
    final JsonNode response = execute("GET", "/subjects", null);
    final List<String> subjects = new ArrayList<>();
    for (final JsonNode subject : requiredArray(response, "GET", "/subjects")) {
      subjects.add(subject.asText());
    }
    return List.copyOf(subjects);
  }

  @Override
  public List<Integer> versions(final String subject) {
    final String path = "/subjects/" + encode(subject) + "/versions";
    final JsonNode response = execute("GET", path, null);
    final List<Integer> versions = new ArrayList<>();
    for (final JsonNode version : requiredArray(response, "GET", path)) {
      if (!version.canConvertToInt()) {
        throw unparseable("GET", path, "version " + version + " is not an integer");
      }
      versions.add(version.intValue());
    }
    return List.copyOf(versions);
  }

  @Override
  public RegisteredSchema version(final String subject, final int version) {
    return fetchVersion(subject, Integer.toString(version));
  }

  @Override
  public RegisteredSchema latest(final String subject) {
    return fetchVersion(subject, "latest");
  }

  @Override
  public List<String> testCompatibility(final String subject, final Schema schema) {
    return compatibility(subject, "latest", schema);
  }

  @Override
  public List<String> testCompatibility(final String subject, final int version, final Schema schema) {
    return compatibility(subject, Integer.toString(version), schema);
  }

  @Override
  public CompatibilityLevel globalCompatibility() {
    return level(execute("GET", "/config", null), "compatibilityLevel", "GET", "/config");
  }

  @Override
  public void setGlobalCompatibility(final CompatibilityLevel level) {
    putLevel("/config", level);
  }

  @Override
  public CompatibilityLevel subjectCompatibility(final String subject) {
    final String path = "/config/" + encode(subject) + "?defaultToGlobal=true";
    try {
      return level(execute("GET", path, null), "compatibilityLevel", "GET", path);
    } catch (final SubjectNotFoundException e) {
      // Registries older than defaultToGlobal answer 40401 for a subject without its own level.
      LOG.debug("Subject {} has no compatibility level of its own; using the global one", subject);
      return globalCompatibility();
    } catch (final SchemaRegistryException e) {
      if (e.errorCode() == SUBJECT_LEVEL_NOT_CONFIGURED) {
        return globalCompatibility();
      }
      throw e;
    }
  }

  @Override
  public void setSubjectCompatibility(final String subject, final CompatibilityLevel level) {
    putLevel("/config/" + encode(subject), level);
  }

  /** Drops every cached entry. HTTP connections are pooled by the JDK and need no closing. */
  @Override
  public void close() {
    schemasById.clear();
    idsBySubjectSchema.clear();
    versionsBySubjectSchema.clear();
  }

  private RegisteredSchema fetchVersion(final String subject, final String version) {
    final String path = "/subjects/" + encode(subject) + "/versions/" + version;
    final JsonNode response = execute("GET", path, null);
    final Schema schema = parseSchema(response, "GET", path);
    final RegisteredSchema found =
        new RegisteredSchema(
            textOr(response, "subject", subject),
            requiredInt(response, "id", "GET", path),
            requiredInt(response, "version", "GET", path),
            schema);
    schemasById.put(found.id(), schema);
    return found;
  }

  private List<String> compatibility(
      final String subject, final String version, final Schema schema) {
    final String path =
        "/compatibility/subjects/" + encode(subject) + "/versions/" + version + "?verbose=true";
    final JsonNode response = execute("POST", path, schemaBody(schema));
    final JsonNode compatible = response.get("is_compatible");
    if (compatible == null || !compatible.isBoolean()) {
      throw unparseable("POST", path, "no boolean 'is_compatible' in " + response);
    }
    if (compatible.booleanValue()) {
      return List.of();
    }
    final List<String> messages = new ArrayList<>();
    final JsonNode given = response.get("messages");
    if (given != null && given.isArray()) {
      for (final JsonNode message : given) {
        messages.add(message.asText());
      }
    }
    if (messages.isEmpty()) {
      messages.add("the registry found the schema incompatible and gave no reason");
    }
    return List.copyOf(messages);
  }

  private void putLevel(final String path, final CompatibilityLevel level) {
    Objects.requireNonNull(level, "level");
    final ObjectNode body = json.createObjectNode();
    body.put("compatibility", level.name());
    final JsonNode response = execute("PUT", path, body);
    final CompatibilityLevel applied = level(response, "compatibility", "PUT", path);
    if (applied != level) {
      LOG.warn("Asked {} to set compatibility {} but it answered {}", path, level, applied);
    }
  }

  private CompatibilityLevel level(
      final JsonNode response, final String field, final String method, final String path) {
    final JsonNode value = response.get(field);
    if (value == null || !value.isTextual()) {
      throw unparseable(method, path, "no '" + field + "' in " + response);
    }
    return CompatibilityLevel.parse(value.asText());
  }

  private ObjectNode schemaBody(final Schema schema) {
    // Avro is the registry's default type, so schemaType is omitted, as Confluent's serializer does.
    final ObjectNode body = json.createObjectNode();
    body.put("schema", schema.toString());
    return body;
  }

  private Schema parseSchema(final JsonNode response, final String method, final String path) {
    final JsonNode type = response.get("schemaType");
    if (type != null && !type.isNull() && !"AVRO".equals(type.asText())) {
      throw new SchemaRegistryException(
          method
              + " "
              + path
              + ": the registry holds a "
              + type.asText()
              + " schema there; this client reads only AVRO",
          -1);
    }
    final JsonNode text = response.get("schema");
    if (text == null || !text.isTextual()) {
      throw unparseable(method, path, "no 'schema' string in the response");
    }
    try {
      return new Schema.Parser().parse(text.asText());
    } catch (final SchemaParseException e) {
      throw new InvalidSchemaException(
          method + " " + path + ": the registry returned a schema Avro cannot parse: " + e.getMessage(),
          -1,
          e);
    }
  }

  /**
   * Sends one request with failover and retries, and returns the parsed JSON of a 2xx answer.
   *
   * @param method the HTTP method
   * @param path the already-encoded path and query, from the base URL on
   * @param body the JSON body, or null for none
   * @return the response body
   */
  private JsonNode execute(final String method, final String path, final JsonNode body) {
    final List<URI> urls = config.baseUrls();
    final byte[] payload = body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8);
    String lastFailure = "no attempt made";
    Throwable lastCause = null;
    int lastCode = -1;
    for (int attempt = 0; ; attempt++) {
      final int start = preferredUrl.get();
      for (int offset = 0; offset < urls.size(); offset++) {
        final int index = Math.floorMod(start + offset, urls.size());
        final URI base = urls.get(index);
        final HttpResponse<String> response;
        try {
          response =
              http.send(
                  request(base, method, path, payload),
                  HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (final IOException e) {
          lastFailure = "I/O error on " + base + ": " + e;
          lastCause = e;
          lastCode = -1;
          preferredUrl.compareAndSet(index, Math.floorMod(index + 1, urls.size()));
          LOG.warn("{} {}{} failed (attempt {}): {}", method, base, path, attempt + 1, e.toString());
          continue;
        } catch (final InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RegistryServerException(
              method + " " + base + path + " was interrupted", -1, e);
        }
        preferredUrl.set(index);
        final int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return parseBody(response.body(), method, base + path);
        }
        final RegistryError error = parseError(status, response.body());
        final String message = describe(method, base + path, status, error);
        if (status >= 500) {
          lastFailure = message;
          lastCause = null;
          lastCode = error.code();
          LOG.warn("{} (attempt {})", message, attempt + 1);
          break;
        }
        throw toException(status, error.code(), message);
      }
      if (attempt >= config.maxRetries()) {
        throw new RegistryServerException(
            method
                + " "
                + path
                + " failed after "
                + (attempt + 1)
                + (attempt == 0 ? " attempt" : " attempts")
                + "; last failure: "
                + lastFailure,
            lastCode,
            lastCause);
      }
      final Duration wait = backoff(attempt);
      LOG.debug("Retrying {} {} in {} ms", method, path, wait.toMillis());
      try {
        sleeper.sleep(wait);
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryServerException(
            method
                + " "
                + path
                + " was interrupted while waiting to retry; last failure: "
                + lastFailure,
            lastCode,
            e);
      }
    }
  }

  /**
   * @param attempt the number of the attempt that just failed, from 0
   * @return the wait before the next one: the initial backoff doubled per attempt, capped
   */
  Duration backoff(final int attempt) {
    final long initial = config.initialBackoff().toMillis();
    final long max = config.maxBackoff().toMillis();
    final int shift = Math.min(attempt, 30);
    final long grown = initial > (max >> shift) ? max : initial << shift;
    return Duration.ofMillis(Math.min(grown, max));
  }

  private HttpRequest request(
      final URI base, final String method, final String path, final byte[] payload) {
    final HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(config.requestTimeout())
            .header("Accept", MEDIA_TYPE);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    if (payload == null) {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      builder.header("Content-Type", MEDIA_TYPE);
      builder.method(method, HttpRequest.BodyPublishers.ofByteArray(payload));
    }
    return builder.build();
  }

  private JsonNode parseBody(final String body, final String method, final String url) {
    if (body == null || body.isBlank()) {
      return json.createObjectNode();
    }
    try {
      return json.readTree(body);
    } catch (final JsonProcessingException e) {
      throw new RegistryServerException(
          method + " " + url + ": the registry answered with a body that is not JSON: " + snippet(body),
          UNPARSEABLE_RESPONSE,
          e);
    }
  }

  /** The registry's error_code and message, or the HTTP status and body when it sent no JSON. */
  private record RegistryError(int code, String message) {}

  private RegistryError parseError(final int status, final String body) {
    if (body != null && !body.isBlank()) {
      try {
        final JsonNode node = json.readTree(body);
        final JsonNode code = node.get("error_code");
        final JsonNode message = node.get("message");
        if (code != null && code.canConvertToInt()) {
          return new RegistryError(
              code.intValue(), message == null ? "(no message)" : message.asText());
        }
      } catch (final JsonProcessingException e) {
        LOG.debug("Error body of HTTP {} is not JSON", status, e);
      }
    }
    return new RegistryError(status, body == null || body.isBlank() ? "(empty body)" : snippet(body));
  }

  private static String describe(
      final String method, final String url, final int status, final RegistryError error) {
    final String hint =
        status == 401
            ? " (the registry wants credentials it was not given or did not accept: set"
                + " basic.auth.credentials.source=USER_INFO and basic.auth.user.info=user:password)"
            : status == 403 ? " (the registry knows these credentials but does not allow this)" : "";
    return String.format(
        Locale.ROOT,
        "%s %s failed: HTTP %d, error_code %d: %s%s",
        method,
        url,
        status,
        error.code(),
        error.message(),
        hint);
  }

  /**
   * Maps an error answer to its typed exception.
   *
   * @param status the HTTP status
   * @param code the registry's error code, or the HTTP status when it gave none
   * @param message the full message
   * @return the exception to throw
   */
  static SchemaRegistryException toException(final int status, final int code, final String message) {
    if (code == 40401) {
      return new SubjectNotFoundException(message, code);
    }
    if (code == 40402) {
      return new VersionNotFoundException(message, code);
    }
    if (code == 40403) {
      return new SchemaNotFoundException(message, code);
    }
    if (status == 409 || code == 409 || code == 40901) {
      return new IncompatibleSchemaException(message, code);
    }
    if (status == 422 || (code >= 42200 && code < 42300)) {
      return new InvalidSchemaException(message, code);
    }
    if (status >= 500) {
      return new RegistryServerException(message, code);
    }
    return new SchemaRegistryException(message, code);
  }

  private RegistryServerException unparseable(
      final String method, final String path, final String what) {
    return new RegistryServerException(
        method + " " + path + ": unexpected response from the registry: " + what,
        UNPARSEABLE_RESPONSE);
  }

  private int requiredInt(
      final JsonNode response, final String field, final String method, final String path) {
    final JsonNode value = response.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw unparseable(method, path, "no integer '" + field + "' in " + snippet(response.toString()));
    }
    return value.intValue();
  }

  private JsonNode requiredArray(final JsonNode response, final String method, final String path) {
    if (!response.isArray()) {
      throw unparseable(method, path, "expected a JSON array, got " + snippet(response.toString()));
    }
    return response;
  }

  private static String textOr(final JsonNode response, final String field, final String fallback) {
    final JsonNode value = response.get(field);
    return value != null && value.isTextual() ? value.asText() : fallback;
  }

  private static String snippet(final String body) {
    final String flat = body.replaceAll("\\s+", " ").trim();
    return flat.length() <= MAX_BODY_IN_MESSAGE ? flat : flat.substring(0, MAX_BODY_IN_MESSAGE) + "...";
  }

  /**
   * Percent-encodes a subject name as one path segment: every byte of its UTF-8 form outside the
   * unreserved set of RFC 3986 is escaped, so {@code /}, space, {@code ?} and {@code %} stay inside
   * the segment.
   *
   * @param segment the raw subject name
   * @return the encoded segment
   */
  static String encode(final String segment) {
    Objects.requireNonNull(segment, "subject");
    final StringBuilder out = new StringBuilder(segment.length() + 8);
    for (final byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      final int c = b & 0xFF;
      final boolean unreserved =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_'
              || c == '~';
      if (unreserved) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }

  private static String authorizationHeader(final RegistryClientConfig config) {
    if (config.basicAuthUserInfo() != null) {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString(config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
    }
    if (config.bearerToken() != null) {
      return "Bearer " + config.bearerToken();
    }
    return null;
  }

  private static SSLContext defaultSslContext() {
    try {
      return SSLContext.getDefault();
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JVM has no default TLS context", e);
    }
  }
}
