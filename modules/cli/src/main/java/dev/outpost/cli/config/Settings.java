package dev.outpost.cli.config;

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

  /** Every declared setting. */
  public static final List<Setting> ALL = List.of(BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL);

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
