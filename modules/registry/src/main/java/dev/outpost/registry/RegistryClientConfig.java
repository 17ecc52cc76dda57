package dev.outpost.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Immutable settings of an {@link HttpSchemaRegistryClient}.
 *
 * <p>Build one with {@link #of(String...)} and the {@code with...} methods, or from Kafka-style
 * client properties with {@link #fromProperties(Map)}, which reads Confluent's key names where
 * Confluent has them, so a producer or consumer configuration written for Confluent's serdes works
 * unchanged. {@link #toString()} never shows credentials.
 *
 * @param baseUrls registry URLs, tried in turn when one cannot be reached; no credentials, no
 *     trailing slash
 * @param basicAuthUserInfo {@code user:password} for HTTP basic authentication, or null
 * @param bearerToken a static bearer token, or null; not together with basic authentication
 * @param sslContext the TLS context for {@code https} URLs, or null for {@link
 *     SSLContext#getDefault()} (which honours the {@code javax.net.ssl.*} system properties)
 * @param connectTimeout how long to wait for a TCP connection
 * @param requestTimeout how long to wait for a whole response
 * @param maxRetries how many times a request is retried after an I/O error or an HTTP 5xx answer;
 *     0 for none
 * @param initialBackoff the wait before the first retry; it doubles for each further retry
 * @param maxBackoff the longest wait between two retries
 * @param cacheCapacity the most entries in each of the client's caches
 */
public record RegistryClientConfig(
    List<URI> baseUrls,
    String basicAuthUserInfo,
    String bearerToken,
    SSLContext sslContext,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxRetries,
    Duration initialBackoff,
    Duration maxBackoff,
    int cacheCapacity) {

  /** Confluent: comma-separated registry URLs. Required. */
  public static final String URL_CONFIG = "schema.registry.url";

  /** Confluent: where basic-auth credentials come from: {@code URL} (default) or {@code USER_INFO}. */
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";

  /** Confluent: {@code user:password}, used when the credentials source is {@code USER_INFO}. */
  public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";

  /** Confluent: where the bearer token comes from; only {@code STATIC_TOKEN} is supported. */
  public static final String BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG = "bearer.auth.credentials.source";

  /** Confluent: a static bearer token. */
  public static final String BEARER_AUTH_TOKEN_CONFIG = "bearer.auth.token";

  /** Confluent: retries after an I/O error or HTTP 5xx. */
  public static final String MAX_RETRIES_CONFIG = "max.retries";

  /** Confluent: milliseconds before the first retry; doubles for each further retry. */
  public static final String RETRIES_WAIT_MS_CONFIG = "retries.wait.ms";

  /** Confluent: the longest wait between retries, in milliseconds. */
  public static final String RETRIES_MAX_WAIT_MS_CONFIG = "retries.max.wait.ms";

  /** Outpost: TCP connect timeout in milliseconds. */
  public static final String CONNECT_TIMEOUT_MS_CONFIG = "outpost.registry.connect.timeout.ms";

  /** Outpost: whole-request timeout in milliseconds. */
  public static final String REQUEST_TIMEOUT_MS_CONFIG = "outpost.registry.request.timeout.ms";

  /** Outpost: the most entries in each client cache. */
  public static final String CACHE_CAPACITY_CONFIG = "outpost.registry.cache.capacity";

  /** Outpost: an {@link SSLContext} instance (not a string) to use for {@code https} URLs. */
  public static final String SSL_CONTEXT_CONFIG = "outpost.registry.ssl.context";

  /**
   * Confluent's prefix for registry-client keys inside a serde configuration: {@code
   * schema.registry.basic.auth.user.info} is read like {@code basic.auth.user.info}.
   */
  public static final String CLIENT_NAMESPACE = "schema.registry.";

  /** Default TCP connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Default whole-request timeout. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** Default number of retries, as Confluent's client. */
  public static final int DEFAULT_MAX_RETRIES = 3;

  /** Default wait before the first retry, as Confluent's client. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(1000);

  /** Default longest wait between retries. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMillis(20_000);

  /** Default capacity of each cache. */
  public static final int DEFAULT_CACHE_CAPACITY = 1000;

  /** Validates every field and normalizes the URLs. */
  public RegistryClientConfig {
    Objects.requireNonNull(baseUrls, "baseUrls");
    if (baseUrls.isEmpty()) {
      throw new IllegalArgumentException("baseUrls must hold at least one registry URL");
    }
    final List<URI> normalized = new ArrayList<>(baseUrls.size());
    for (final URI url : baseUrls) {
      normalized.add(checkUrl("baseUrls", Objects.requireNonNull(url, "baseUrls element")));
    }
    baseUrls = List.copyOf(normalized);
    if (basicAuthUserInfo != null && basicAuthUserInfo.indexOf(':') < 0) {
      throw new IllegalArgumentException(
          "basicAuthUserInfo must have the form user:password (value not shown)");
    }
    if (bearerToken != null && bearerToken.isBlank()) {
      throw new IllegalArgumentException("bearerToken must not be blank");
    }
    if (basicAuthUserInfo != null && bearerToken != null) {
      throw new IllegalArgumentException(
          "Use either basic authentication or a bearer token, not both");
    }
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("requestTimeout", requestTimeout);
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (initialBackoff.isNegative()) {
      throw new IllegalArgumentException("initialBackoff must be >= 0, got " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff (" + maxBackoff + ") must be >= initialBackoff (" + initialBackoff + ")");
    }
    if (cacheCapacity < 1) {
      throw new IllegalArgumentException("cacheCapacity must be >= 1, got " + cacheCapacity);
    }
  }

  /**
   * A configuration with every default: no authentication, default TLS, Confluent's retry
   * defaults.
   *
   * @param urls one or more registry URLs, such as {@code http://localhost:8081}
   * @return the configuration
   * @throws IllegalArgumentException if a URL is not an absolute http or https URL
   */
  public static RegistryClientConfig of(final String... urls) {
    final List<URI> parsed = new ArrayList<>(urls.length);
    for (final String url : urls) {
      parsed.add(parseUrl("baseUrls", url));
    }
    return new RegistryClientConfig(
        parsed,
        null,
        null,
        null,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_MAX_RETRIES,
        DEFAULT_INITIAL_BACKOFF,
        DEFAULT_MAX_BACKOFF,
        DEFAULT_CACHE_CAPACITY);
  }

  /**
   * @param user the user name
   * @param password the password
   * @return a copy that authenticates with HTTP basic authentication
   */
  public RegistryClientConfig withBasicAuth(final String user, final String password) {
    return new RegistryClientConfig(
        baseUrls,
        Objects.requireNonNull(user, "user") + ":" + Objects.requireNonNull(password, "password"),
        null,
        sslContext,
        connectTimeout,
        requestTimeout,
        maxRetries,
        initialBackoff,
        maxBackoff,
        cacheCapacity);
  }

  /**
   * @param token a static bearer token
   * @return a copy that authenticates with {@code Authorization: Bearer <token>}
   */
  public RegistryClientConfig withBearerToken(final String token) {
    return new RegistryClientConfig(
        baseUrls,
        null,
        Objects.requireNonNull(token, "token"),
        sslContext,
        connectTimeout,
        requestTimeout,
        maxRetries,
        initialBackoff,
        maxBackoff,
        cacheCapacity);
  }

  /**
   * @param context the TLS context for {@code https} URLs
   * @return a copy that uses it
   */
  public RegistryClientConfig withSslContext(final SSLContext context) {
    return new RegistryClientConfig(
        baseUrls,
        basicAuthUserInfo,
        bearerToken,
        Objects.requireNonNull(context, "context"),
        connectTimeout,
        requestTimeout,
        maxRetries,
        initialBackoff,
        maxBackoff,
        cacheCapacity);
  }

  /**
   * @param connect the TCP connect timeout
   * @param request the whole-request timeout
   * @return a copy with these timeouts
   */
  public RegistryClientConfig withTimeouts(final Duration connect, final Duration request) {
    return new RegistryClientConfig(
        baseUrls,
        basicAuthUserInfo,
        bearerToken,
        sslContext,
        connect,
        request,
        maxRetries,
        initialBackoff,
        maxBackoff,
        cacheCapacity);
  }

  /**
   * @param retries how many retries after an I/O error or HTTP 5xx; 0 for none
   * @param initial the wait before the first retry
   * @param max the longest wait between retries
   * @return a copy with this retry policy
   */
  public RegistryClientConfig withRetries(
      final int retries, final Duration initial, final Duration max) {
    return new RegistryClientConfig(
        baseUrls,
        basicAuthUserInfo,
        bearerToken,
        sslContext,
        connectTimeout,
        requestTimeout,
        retries,
        initial,
        max,
        cacheCapacity);
  }

  /**
   * @param capacity the most entries in each cache
   * @return a copy with this cache capacity
   */
  public RegistryClientConfig withCacheCapacity(final int capacity) {
    return new RegistryClientConfig(
        baseUrls,
        basicAuthUserInfo,
        bearerToken,
        sslContext,
        connectTimeout,
        requestTimeout,
        maxRetries,
        initialBackoff,
        maxBackoff,
        capacity);
  }

  /**
   * Reads a configuration from Kafka-style client properties. Every key may also be given with
   * Confluent's {@value #CLIENT_NAMESPACE} prefix. Values may be strings or, where it makes sense,
   * numbers and lists.
   *
   * @param props the properties; keys other than the ones defined here are ignored
   * @return the configuration
   * @throws IllegalArgumentException naming the key and the value when a value is missing or
   *     invalid (secrets are never echoed)
   */
  public static RegistryClientConfig fromProperties(final Map<String, ?> props) {
    Objects.requireNonNull(props, "props");
    final Object rawUrls = value(props, URL_CONFIG);
    if (rawUrls == null) {
      throw new IllegalArgumentException(
          "Missing required config '" + URL_CONFIG + "': the registry URL(s), comma-separated");
    }
    final List<URI> urls = new ArrayList<>();
    for (final String url : toStringList(rawUrls)) {
      urls.add(parseUrl(URL_CONFIG, url));
    }
    if (urls.isEmpty()) {
      throw invalid(URL_CONFIG, rawUrls, "must list at least one URL");
    }

    final String basicSource =
        upper(stringValue(props, BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG), "URL");
    final String userInfoConfig = stringValue(props, BASIC_AUTH_USER_INFO_CONFIG);
    final String userInfo;
    switch (basicSource) {
      case "URL":
        if (userInfoConfig != null && !userInfoConfig.isEmpty()) {
          throw new IllegalArgumentException(
              "Config '"
                  + BASIC_AUTH_USER_INFO_CONFIG
                  + "' is set but '"
                  + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG
                  + "' is 'URL', so it would be ignored: set '"
                  + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG
                  + "' to 'USER_INFO'");
        }
        userInfo = userInfoFromUrls(urls);
        break;
      case "USER_INFO":
        if (userInfoConfig == null || userInfoConfig.indexOf(':') < 0) {
          throw new IllegalArgumentException(
              "Invalid value for config '"
                  + BASIC_AUTH_USER_INFO_CONFIG
                  + "' (value not shown): '"
                  + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG
                  + "' is 'USER_INFO', so it must be set to user:password");
        }
        userInfo = userInfoConfig;
        break;
      default:
        throw invalid(
            BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG,
            basicSource,
            "supported values are URL and USER_INFO");
    }
    final List<URI> plainUrls = new ArrayList<>(urls.size());
    for (final URI url : urls) {
      plainUrls.add(withoutUserInfo(url));
    }

    final String bearerSource = stringValue(props, BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG);
    final String token = stringValue(props, BEARER_AUTH_TOKEN_CONFIG);
    final String bearer;
    if (bearerSource != null && !bearerSource.isEmpty()) {
      if (!"STATIC_TOKEN".equals(bearerSource.trim().toUpperCase(Locale.ROOT))) {
        throw invalid(
            BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, bearerSource, "only STATIC_TOKEN is supported");
      }
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException(
            "Missing config '"
                + BEARER_AUTH_TOKEN_CONFIG
                + "': '"
                + BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG
                + "' is 'STATIC_TOKEN'");
      }
      bearer = token;
    } else if (token != null && !token.isBlank()) {
      bearer = token;
    } else {
      bearer = null;
    }
    if (bearer != null && userInfo != null) {
      throw new IllegalArgumentException(
          "Both basic authentication ('"
              + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG
              + "'="
              + basicSource
              + ") and a bearer token ('"
              + BEARER_AUTH_TOKEN_CONFIG
              + "') are configured: use one");
    }

    final Object rawContext = value(props, SSL_CONTEXT_CONFIG);
    final SSLContext context;
    if (rawContext == null) {
      context = RegistryTls.fromProperties(props);
    } else if (rawContext instanceof SSLContext) {
      context = (SSLContext) rawContext;
    } else {
      throw invalid(SSL_CONTEXT_CONFIG, rawContext, "must be a javax.net.ssl.SSLContext instance");
    }

    final long connectMs =
        longValue(props, CONNECT_TIMEOUT_MS_CONFIG, DEFAULT_CONNECT_TIMEOUT.toMillis(), 1);
    final long requestMs =
        longValue(props, REQUEST_TIMEOUT_MS_CONFIG, DEFAULT_REQUEST_TIMEOUT.toMillis(), 1);
    final long retries = longValue(props, MAX_RETRIES_CONFIG, DEFAULT_MAX_RETRIES, 0);
    if (retries > 100) {
      throw invalid(MAX_RETRIES_CONFIG, retries, "must be at most 100");
    }
    final long waitMs =
        longValue(props, RETRIES_WAIT_MS_CONFIG, DEFAULT_INITIAL_BACKOFF.toMillis(), 0);
    final long maxWaitMs =
        longValue(
            props, RETRIES_MAX_WAIT_MS_CONFIG, Math.max(waitMs, DEFAULT_MAX_BACKOFF.toMillis()), 0);
    if (maxWaitMs < waitMs) {
      throw invalid(
          RETRIES_MAX_WAIT_MS_CONFIG,
          maxWaitMs,
          "must be >= " + RETRIES_WAIT_MS_CONFIG + " (" + waitMs + ")");
    }
    final long capacity = longValue(props, CACHE_CAPACITY_CONFIG, DEFAULT_CACHE_CAPACITY, 1);
    if (capacity > Integer.MAX_VALUE) {
      throw invalid(CACHE_CAPACITY_CONFIG, capacity, "must be at most " + Integer.MAX_VALUE);
    }
    return new RegistryClientConfig(
        plainUrls,
        userInfo,
        bearer,
        context,
        Duration.ofMillis(connectMs),
        Duration.ofMillis(requestMs),
        (int) retries,
        Duration.ofMillis(waitMs),
        Duration.ofMillis(maxWaitMs),
        (int) capacity);
  }

  /**
   * @return the settings with any password and token masked
   */
  @Override
  public String toString() {
    final String user =
        basicAuthUserInfo == null
            ? "none"
            : basicAuthUserInfo.substring(0, basicAuthUserInfo.indexOf(':')) + ":*****";
    return "RegistryClientConfig[baseUrls="
        + baseUrls
        + ", basicAuth="
        + user
        + ", bearerToken="
        + (bearerToken == null ? "none" : "*****")
        + ", sslContext="
        + (sslContext == null ? "default" : sslContext.getProtocol())
        + ", connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + ", maxRetries="
        + maxRetries
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + ", cacheCapacity="
        + cacheCapacity
        + "]";
  }

  private static Object value(final Map<String, ?> props, final String key) {
    final Object direct = props.get(key);
    return direct != null ? direct : props.get(CLIENT_NAMESPACE + key);
  }

  private static String stringValue(final Map<String, ?> props, final String key) {
    final Object raw = value(props, key);
    if (raw == null) {
      return null;
    }
    if (raw instanceof String) {
      return ((String) raw).trim();
    }
    if (raw instanceof char[]) {
      return new String((char[]) raw).trim();
    }
    // Kafka's Password type and similar wrappers: never echo them.
    throw new IllegalArgumentException(
        "Invalid value for config '" + key + "': must be a string, got a " + raw.getClass().getName());
  }

  private static long longValue(
      final Map<String, ?> props, final String key, final long fallback, final long min) {
    final Object raw = value(props, key);
    if (raw == null) {
      return fallback;
    }
    final long parsed;
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
      parsed = ((Number) raw).longValue();
    } else if (raw instanceof String) {
      try {
        parsed = Long.parseLong(((String) raw).trim());
      } catch (final NumberFormatException e) {
        throw invalid(key, raw, "must be an integer");
      }
    } else {
      throw invalid(key, raw, "must be an integer");
    }
    if (parsed < min) {
      throw invalid(key, raw, "must be >= " + min);
    }
    return parsed;
  }

  private static List<String> toStringList(final Object raw) {
    final List<String> out = new ArrayList<>();
    if (raw instanceof Collection) {
      for (final Object element : (Collection<?>) raw) {
        if (element != null) {
          addSplit(String.valueOf(element), out);
        }
      }
    } else {
      addSplit(String.valueOf(raw), out);
    }
    return out;
  }

  private static void addSplit(final String text, final List<String> out) {
    for (final String part : text.split(",", -1)) {
      final String trimmed = part.trim();
      if (!trimmed.isEmpty()) {
        out.add(trimmed);
      }
    }
  }

  private static String upper(final String value, final String fallback) {
    return value == null || value.isEmpty() ? fallback : value.toUpperCase(Locale.ROOT);
  }

  private static String userInfoFromUrls(final List<URI> urls) {
    String found = null;
    for (final URI url : urls) {
      final String info = url.getRawUserInfo();
      if (info == null) {
        continue;
      }
      final String decoded = url.getUserInfo();
      if (found != null && !found.equals(decoded)) {
        throw new IllegalArgumentException(
            "Config '" + URL_CONFIG + "' carries different credentials in different URLs");
      }
      if (decoded.indexOf(':') < 0) {
        throw new IllegalArgumentException(
            "Config '"
                + URL_CONFIG
                + "' carries credentials that are not of the form user:password (value not"
                + " shown)");
      }
      found = decoded;
    }
    return found;
  }

  private static URI withoutUserInfo(final URI url) {
    if (url.getRawUserInfo() == null) {
      return url;
    }
    try {
      return new URI(
          url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), null, null);
    } catch (final URISyntaxException e) {
      throw new IllegalArgumentException("Cannot strip credentials from a registry URL", e);
    }
  }

  private static URI parseUrl(final String key, final String text) {
    if (text == null || text.isBlank()) {
      throw invalid(key, text, "a registry URL must not be empty");
    }
    final URI url;
    try {
      url = new URI(text.trim());
    } catch (final URISyntaxException e) {
      throw invalid(key, redact(text), "not a valid URL (" + e.getReason() + ")");
    }
    final String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw invalid(key, redact(text), "a registry URL must start with http:// or https://");
    }
    if (url.getHost() == null) {
      throw invalid(key, redact(text), "a registry URL must name a host");
    }
    return url;
  }

  private static URI checkUrl(final String field, final URI url) {
    final String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          field + ": a registry URL must start with http:// or https://, got '" + url + "'");
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException(field + ": a registry URL must name a host, got '" + url + "'");
    }
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          field
              + ": a registry URL must not carry credentials; use basicAuthUserInfo (or"
              + " basic.auth.credentials.source=URL in fromProperties)");
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new IllegalArgumentException(
          field + ": a registry URL must have no query or fragment, got '" + url + "'");
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create(scheme + "://" + url.getRawAuthority() + path);
  }

  private static String redact(final String url) {
    // Never echo a password from user:password@host.
    return url == null ? null : url.replaceAll("//[^/@]*@", "//*****@");
  }

  private static IllegalArgumentException invalid(
      final String key, final Object value, final String why) {
    return new IllegalArgumentException(
        "Invalid value '" + value + "' for config '" + key + "': " + why);
  }

  private static void requirePositive(final String field, final Duration value) {
    Objects.requireNonNull(value, field);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(field + " must be positive, got " + value);
    }
  }
}
