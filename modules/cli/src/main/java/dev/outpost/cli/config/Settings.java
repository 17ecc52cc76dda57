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
    return List.copyOf(all);
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
