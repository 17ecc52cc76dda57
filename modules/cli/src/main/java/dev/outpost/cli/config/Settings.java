package dev.outpost.cli.config;

import dev.outpost.ingest.InputLimit;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Every setting the commands share, each declared once. */
public final class Settings {

  /** Kafka brokers to bootstrap from. The default is where {@code outpost demo} listens. */
  public static final Setting BOOTSTRAP_SERVERS =
      new Setting(
          "bootstrap.servers",
          "localhost:9092",
          "Kafka brokers, as host:port[,host:port...]",
          Settings::hostPortList);

  /** Schema registry base URLs. The default is where {@code outpost demo} listens. */
  public static final Setting SCHEMA_REGISTRY_URL =
      new Setting(
          "schema.registry.url",
          "http://localhost:8081",
          "Schema registry URL(s), comma-separated",
          Settings::httpUrlList);

  /** The default of {@link #CONNECT_TIMEOUT}. */
  public static final String DEFAULT_CONNECT_TIMEOUT = "10s";

  /**
   * How long a command waits for the cluster and the registry to answer before it says which it
   * cannot reach and exits: the one timeout a user sets for "is anything there".
   */
  public static final Setting CONNECT_TIMEOUT =
      new Setting(
          "connect.timeout",
          DEFAULT_CONNECT_TIMEOUT,
          "How long to wait for the Kafka cluster and the schema registry to answer before giving up (5s, 1m)",
          Settings::positiveDuration);

  /** The Kafka Streams application id: instances with the same id share the work. */
  public static final Setting APPLICATION_ID =
      new Setting(
          "application.id",
          "outpost-pipeline",
          "Kafka Streams application id; instances with the same id share the partitions",
          Settings::topicSafeName);

  /** Exactly once or at least once. */
  public static final Setting PROCESSING_GUARANTEE =
      new Setting(
          "processing.guarantee",
          "exactly_once_v2",
          "exactly_once_v2 or at_least_once (at_least_once only with dedupe.window=0)",
          value ->
              value.equals("exactly_once_v2") || value.equals("at_least_once")
                  ? Optional.empty()
                  : Optional.of("use exactly_once_v2 or at_least_once"));

  /** Which cluster the replication defaults suit. */
  public static final Setting PROFILE =
      new Setting(
          "profile",
          "dev",
          "dev (replication factor 1, a one-broker cluster) or production (replication factor 3)",
          value ->
              value.equals("dev") || value.equals("production")
                  ? Optional.empty()
                  : Optional.of("use dev or production"));

  /** Replicas of the topics Outpost creates; empty means the profile's. */
  public static final Setting REPLICATION_FACTOR =
      new Setting(
          "replication.factor",
          "",
          "Replicas of the topics Outpost creates and of its internal topics; default: the profile's",
          value -> value.isEmpty() ? Optional.empty() : positiveInt(value, 1_000));

  /** Stream threads of one instance. */
  public static final Setting NUM_STREAM_THREADS =
      new Setting(
          "num.stream.threads",
          "1",
          "Stream threads in this instance",
          value -> positiveInt(value, 1_000));

  /** Local state of the pipeline. */
  public static final Setting STATE_DIR =
      new Setting(
          "state.dir",
          ".outpost/state",
          "Directory for the pipeline's local state (the store of item ids seen)",
          value -> value.isBlank() ? Optional.of("give a directory") : Optional.empty());

  /** The largest title accepted. */
  public static final Setting MAX_TITLE_BYTES =
      new Setting(
          "max.title.bytes",
          "2048",
          "Items with a longer title, in UTF-8 bytes, are dead-lettered",
          value -> positiveInt(value, Integer.MAX_VALUE));

  /** The largest body accepted. */
  public static final Setting MAX_BODY_BYTES =
      new Setting(
          "max.body.bytes",
          "1048576",
          "Items with a longer body, in UTF-8 bytes, are dead-lettered",
          value -> positiveInt(value, Integer.MAX_VALUE));

  /** The most {@link #MAX_INPUT_BYTES} may be: one Java array must hold the input. */
  private static final int MAX_INPUT_BYTES_LIMIT = 2_000_000_000;

  /** The largest input read whole: a file, a URL's body. */
  public static final Setting MAX_INPUT_BYTES =
      new Setting(
          "max.input.bytes",
          Integer.toString(InputLimit.DEFAULT_MAX_BYTES),
          "Files and URL bodies longer than this, in bytes, are refused before they are read whole",
          value -> positiveInt(value, MAX_INPUT_BYTES_LIMIT));

  /** How long item ids are remembered. */
  public static final Setting DEDUPE_WINDOW =
      new Setting(
          "dedupe.window",
          "7d",
          "Repeat deliveries of an item id within this window are dropped (e.g. 12h, 7d); 0 turns deduplication off",
          Settings::windowOrZero);

  /** Warm copies of each task's state on other instances; empty means the profile's. */
  public static final Setting NUM_STANDBY_REPLICAS =
      new Setting(
          "num.standby.replicas",
          "",
          "Standby copies of each task's state kept warm on other instances, for fast fail-over; default: the profile's (dev 0, production 1)",
          value -> value.isEmpty() ? Optional.empty() : nonNegativeInt(value, 10));

  /** Where this instance runs, for rack-aware assignment. */
  public static final Setting RACK =
      new Setting(
          "rack",
          "",
          "The rack or zone this instance runs in (a broker's broker.rack); when set, tasks read from replicas in the same rack and standbys go to other racks",
          value -> value.isEmpty() || value.matches("[A-Za-z0-9._-]{1,64}") ? Optional.empty() : Optional.of("use 1 to 64 letters, digits, '.', '_' or '-'"));

  /**
   * Internal addresses Outpost may send to: webhooks and feeds. Everything internal (loopback,
   * private, link-local...) is refused unless listed.
   */
  public static final Setting OUTBOUND_ALLOW =
      new Setting(
          "outbound.allow",
          "",
          "Internal addresses webhooks and feed fetches may reach, which are refused otherwise: CIDR ranges, addresses, host names or *.domain, comma-separated (e.g. 10.0.0.0/8,hooks.internal)",
          value -> {
            try {
              dev.outpost.model.net.OutboundPolicy.allowing(value);
              return Optional.empty();
            } catch (final IllegalArgumentException e) {
              return Optional.of(e.getMessage());
            }
          });

  /**
   * A file of keys that encrypt webhook secrets in the subscriptions topic; the key itself may
   * instead be in the {@code OUTPOST_SECRETS_KEY} variable, never in a flag or config file.
   */
  public static final Setting SECRETS_KEY_FILE =
      new Setting(
          "secrets.key.file",
          "",
          "File of base64 32-byte keys that encrypt webhook secrets, one per line, the first encrypting; or set OUTPOST_SECRETS_KEY",
          value -> Optional.empty());

  /** The variable that holds the secrets keys themselves, as the file would. */
  public static final String SECRETS_KEY_ENV = "OUTPOST_SECRETS_KEY";

  /** The address {@code outpost registry} listens on: this machine only, unless changed. */
  public static final Setting REGISTRY_HOST =
      new Setting(
          "registry.host",
          "127.0.0.1",
          "Address the schema registry listens on; beyond loopback it needs users or client certificates",
          value -> value.isBlank() ? Optional.of("give an address or host name") : Optional.empty());

  /** The port {@code outpost registry} listens on: Confluent's registry's default. */
  public static final Setting REGISTRY_PORT =
      new Setting(
          "registry.port",
          "8081",
          "Port the schema registry listens on; 0 for any free port",
          value -> nonNegativeInt(value, 65_535));

  /** The topic the registry keeps its schemas in. */
  public static final Setting REGISTRY_TOPIC =
      new Setting(
          "registry.topic",
          "_schemas",
          "Topic the schema registry keeps its schemas in (Confluent's kafkastore.topic)",
          Settings::topicSafeName);

  /** The registry's global compatibility level until {@code PUT /config} sets one. */
  public static final Setting REGISTRY_COMPATIBILITY =
      new Setting(
          "registry.compatibility",
          "BACKWARD",
          "The registry's global compatibility level until PUT /config sets one (Confluent's schema.compatibility.level)",
          value -> {
            try {
              dev.outpost.registry.CompatibilityLevel.parse(value);
              return Optional.empty();
            } catch (final dev.outpost.registry.SchemaRegistryException e) {
              return Optional.of("use NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or FULL_TRANSITIVE");
            }
          });

  /** The registry's key store: serving HTTPS when set. */
  public static final Setting REGISTRY_SSL_KEYSTORE_LOCATION =
      new Setting("registry.ssl.keystore.location", "", "Key store with the registry's certificate and key; HTTPS when set", value -> Optional.empty());

  /** Its password: from a file or a variable, never a flag. */
  public static final Setting REGISTRY_SSL_KEYSTORE_PASSWORD =
      new Setting("registry.ssl.keystore.password", "", "Password of the registry's key store", value -> Optional.empty());

  /** Its type. */
  public static final Setting REGISTRY_SSL_KEYSTORE_TYPE =
      new Setting("registry.ssl.keystore.type", "PKCS12", "PKCS12 or JKS", Settings::storeType);

  /** The key's own password, when it is not the store's. */
  public static final Setting REGISTRY_SSL_KEY_PASSWORD =
      new Setting("registry.ssl.key.password", "", "Password of the registry's key, when not the key store's", value -> Optional.empty());

  /** What signs the certificates clients present. */
  public static final Setting REGISTRY_SSL_TRUSTSTORE_LOCATION =
      new Setting("registry.ssl.truststore.location", "", "Trust store with what signs the clients' certificates", value -> Optional.empty());

  /** Its password. */
  public static final Setting REGISTRY_SSL_TRUSTSTORE_PASSWORD =
      new Setting("registry.ssl.truststore.password", "", "Password of the registry's trust store", value -> Optional.empty());

  /** Its type. */
  public static final Setting REGISTRY_SSL_TRUSTSTORE_TYPE =
      new Setting("registry.ssl.truststore.type", "PKCS12", "PKCS12 or JKS", Settings::storeType);

  /** Whether clients must present a certificate (Confluent's {@code ssl.client.auth}). */
  public static final Setting REGISTRY_SSL_CLIENT_AUTH =
      new Setting(
          "registry.ssl.client.auth",
          "false",
          "Whether clients must present a certificate the trust store accepts",
          value -> value.equals("true") || value.equals("false") ? Optional.empty() : Optional.of("use true or false"));

  /**
   * A file of {@code user:password} lines the registry lets in with HTTP basic authentication; the
   * users may instead be in the {@code OUTPOST_REGISTRY_USERS} variable.
   */
  public static final Setting REGISTRY_USERS_FILE =
      new Setting(
          "registry.users.file",
          "",
          "File of user:password lines the registry lets in with HTTP basic authentication; or set OUTPOST_REGISTRY_USERS",
          value -> Optional.empty());

  /** The variable that holds the registry's users themselves, as the file would. */
  public static final String REGISTRY_USERS_ENV = "OUTPOST_REGISTRY_USERS";

  /** The settings of {@code outpost registry}. */
  public static final List<Setting> REGISTRY =
      List.of(
          REGISTRY_HOST,
          REGISTRY_PORT,
          REGISTRY_TOPIC,
          REGISTRY_COMPATIBILITY,
          REGISTRY_SSL_KEYSTORE_LOCATION,
          REGISTRY_SSL_KEYSTORE_PASSWORD,
          REGISTRY_SSL_KEYSTORE_TYPE,
          REGISTRY_SSL_KEY_PASSWORD,
          REGISTRY_SSL_TRUSTSTORE_LOCATION,
          REGISTRY_SSL_TRUSTSTORE_PASSWORD,
          REGISTRY_SSL_TRUSTSTORE_TYPE,
          REGISTRY_SSL_CLIENT_AUTH,
          REGISTRY_USERS_FILE);

  /** The settings of the pipeline itself, which {@code outpost run} and the benchmark read. */
  public static final List<Setting> PIPELINE =
      List.of(
          APPLICATION_ID,
          PROCESSING_GUARANTEE,
          PROFILE,
          REPLICATION_FACTOR,
          NUM_STREAM_THREADS,
          NUM_STANDBY_REPLICAS,
          RACK,
          STATE_DIR,
          MAX_TITLE_BYTES,
          MAX_BODY_BYTES,
          DEDUPE_WINDOW);

  /** Every declared setting. */
  public static final List<Setting> ALL = all();

  private static List<Setting> all() {
    final List<Setting> all =
        new java.util.ArrayList<>(
            List.of(BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, CONNECT_TIMEOUT, OUTBOUND_ALLOW, SECRETS_KEY_FILE, MAX_INPUT_BYTES));
    all.addAll(PIPELINE);
    all.addAll(REGISTRY);
    return List.copyOf(all);
  }

  static Optional<String> storeType(final String value) {
    return value.equalsIgnoreCase("PKCS12") || value.equalsIgnoreCase("JKS")
        ? Optional.empty()
        : Optional.of("use PKCS12 or JKS");
  }

  static Optional<String> nonNegativeInt(final String value, final int max) {
    return value.equals("0") ? Optional.empty() : positiveInt(value, max);
  }

  static Optional<String> positiveInt(final String value, final int max) {
    try {
      final long n = Long.parseLong(value);
      if (n < 1 || n > max) {
        return Optional.of("use a whole number from 1 to " + max);
      }
      return Optional.empty();
    } catch (final NumberFormatException e) {
      return Optional.of("'" + value + "' is not a whole number");
    }
  }

  static Optional<String> topicSafeName(final String value) {
    return value.matches("[a-zA-Z0-9._-]{1,200}")
        ? Optional.empty()
        : Optional.of("use letters, digits, '.', '_' and '-' only");
  }

  static Optional<String> windowOrZero(final String value) {
    if (value.equals("0")) {
      return Optional.empty();
    }
    try {
      final java.time.Duration d = Durations.parse("dedupe.window", value);
      return d.isNegative() ? Optional.of("use a positive duration, or 0 for none") : Optional.empty();
    } catch (final dev.outpost.cli.UserException e) {
      return Optional.of("use a duration such as 12h or 7d, or 0 to turn deduplication off");
    }
  }

  static Optional<String> positiveDuration(final String value) {
    try {
      final java.time.Duration d = Durations.parse("duration", value);
      return d.isNegative() || d.isZero() ? Optional.of("use a positive duration such as 5s or 1m") : Optional.empty();
    } catch (final dev.outpost.cli.UserException e) {
      return Optional.of("use a duration such as 5s or 1m");
    }
  }

  private Settings() {}

  static Optional<String> hostPortList(final String value) {
    for (final String part : value.split(",", -1)) {
      final String hostPort = part.trim();
      final int colon = hostPort.lastIndexOf(':');
      if (colon <= 0 || colon == hostPort.length() - 1) {
        return Optional.of("expected host:port[,host:port...], got '" + hostPort + "'");
      }
      final String port = hostPort.substring(colon + 1);
      if (!port.chars().allMatch(Character::isDigit) || Integer.parseInt(port) > 65_535) {
        return Optional.of("'" + port + "' is not a port number in '" + hostPort + "'");
      }
    }
    return Optional.empty();
  }

  static Optional<String> httpUrlList(final String value) {
    for (final String part : value.split(",", -1)) {
      final String url = part.trim();
      try {
        final URI uri = new URI(url);
        final String scheme =
            uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
          return Optional.of("expected an http:// or https:// URL, got '" + url + "'");
        }
      } catch (final URISyntaxException e) {
        return Optional.of("'" + url + "' is not a URL: " + e.getReason());
      }
    }
    return Optional.empty();
  }
}
