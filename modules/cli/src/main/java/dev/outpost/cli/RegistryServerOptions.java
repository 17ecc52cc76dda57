package dev.outpost.cli;

import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.config.Setting;
import dev.outpost.cli.config.Settings;
import dev.outpost.registry.CompatibilityLevel;
import dev.outpost.registry.server.BasicAuthUsers;
import dev.outpost.registry.server.RegistryServer;
import dev.outpost.registry.server.ServerTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How {@code outpost registry} serves: where it listens, TLS and who may call. Each value can come
 * from a flag, an {@code OUTPOST_REGISTRY_*} variable or the config file (keys {@code registry.*},
 * named after Confluent's registry's own); passwords and users only from a file or a variable,
 * never a flag, since flags show in process listings.
 */
public final class RegistryServerOptions {

  @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on. Key registry.host, variable OUTPOST_REGISTRY_HOST. Default: 127.0.0.1 (this machine only).")
  private String host;

  @Option(names = "--port", paramLabel = "PORT", description = "Port; 0 for any free port. Key registry.port, variable OUTPOST_REGISTRY_PORT. Default: 8081.")
  private String port;

  @Option(names = "--topic", paramLabel = "TOPIC", description = "Topic the schemas are kept in, created when missing. Key registry.topic. Default: _schemas.")
  private String topic;

  @Option(names = "--compatibility", paramLabel = "LEVEL", description = "Global compatibility level until PUT /config sets one. Key registry.compatibility. Default: BACKWARD.")
  private String compatibility;

  @Option(
      names = "--ssl-keystore",
      paramLabel = "FILE",
      description = {
        "Serve HTTPS with the certificate in this key store. Key registry.ssl.keystore.location; its password in",
        "registry.ssl.keystore.password (file or variable OUTPOST_REGISTRY_SSL_KEYSTORE_PASSWORD), its type in registry.ssl.keystore.type."
      })
  private String keyStore;

  @Option(
      names = "--ssl-truststore",
      paramLabel = "FILE",
      description = "Trust store of what signs the clients' certificates. Key registry.ssl.truststore.location (password: registry.ssl.truststore.password).")
  private String trustStore;

  @Option(
      names = "--ssl-client-auth",
      description = "Require clients to present a certificate the trust store accepts. Key registry.ssl.client.auth (true/false).")
  private Boolean clientAuth;

  @Option(
      names = "--users-file",
      paramLabel = "FILE",
      description = {
        "HTTP basic authentication: a file of user:password lines, # for comments. Key registry.users.file,",
        "variable OUTPOST_REGISTRY_USERS_FILE; or the lines themselves in OUTPOST_REGISTRY_USERS."
      })
  private String usersFile;

  @Option(names = "--insecure", description = "Listen on a non-loopback --host with neither users nor client certificates (logged as a warning).")
  private boolean insecure;

  /** @return the values given by flag, by setting key, for {@link ClusterOptions#resolve(Map, Map)} */
  Map<String, String> flags() {
    final Map<String, String> flags = new HashMap<>();
    flags.put(Settings.REGISTRY_HOST.key(), host);
    flags.put(Settings.REGISTRY_PORT.key(), port);
    flags.put(Settings.REGISTRY_TOPIC.key(), topic);
    flags.put(Settings.REGISTRY_COMPATIBILITY.key(), compatibility);
    flags.put(Settings.REGISTRY_SSL_KEYSTORE_LOCATION.key(), keyStore);
    flags.put(Settings.REGISTRY_SSL_TRUSTSTORE_LOCATION.key(), trustStore);
    flags.put(Settings.REGISTRY_SSL_CLIENT_AUTH.key(), clientAuth == null ? null : clientAuth.toString());
    flags.put(Settings.REGISTRY_USERS_FILE.key(), usersFile);
    return flags;
  }

  /**
   * The server as configured, checked before anything is started: the stores and the users file
   * readable, and a registry beyond loopback protected by users or client certificates unless
   * {@code --insecure}.
   *
   * @param config the merged configuration
   * @param env the environment, for {@code OUTPOST_REGISTRY_USERS}
   * @return the server's builder, its store not yet set
   * @throws UserException saying what to fix
   */
  RegistryServer.Builder server(final ResolvedConfig config, final Map<String, String> env) {
    final String bindHost = config.get(Settings.REGISTRY_HOST);
    final RegistryServer.Builder builder =
        RegistryServer.builder()
            .host(bindHost)
            .port(Integer.parseInt(config.get(Settings.REGISTRY_PORT)))
            .defaultCompatibility(CompatibilityLevel.parse(config.get(Settings.REGISTRY_COMPATIBILITY)));
    final boolean tls = !config.get(Settings.REGISTRY_SSL_KEYSTORE_LOCATION).isEmpty();
    final boolean certificates = Boolean.parseBoolean(config.get(Settings.REGISTRY_SSL_CLIENT_AUTH));
    if (certificates && (!tls || config.get(Settings.REGISTRY_SSL_TRUSTSTORE_LOCATION).isEmpty())) {
      throw new UserException(
          "Client certificates (registry.ssl.client.auth, " + config.source(Settings.REGISTRY_SSL_CLIENT_AUTH)
              + ") need TLS: give --ssl-keystore with the registry's certificate and --ssl-truststore with what signs the clients'");
    }
    if (tls) {
      builder.tls(tls(config)).needClientCertificate(certificates);
    }
    final List<String> users = users(config, env);
    users.forEach(builder::basicAuth);
    if (!isLoopback(bindHost)) {
      if (users.isEmpty() && !certificates && !insecure) {
        throw new UserException(
            "The registry would listen on " + bindHost + ", beyond this machine, open to anyone: give users with --users-file or "
                + Settings.REGISTRY_USERS_ENV + ", or require client certificates with --ssl-client-auth, or pass --insecure");
      }
      if (users.isEmpty() && !certificates) {
        org.slf4j.LoggerFactory.getLogger(RegistryServerOptions.class)
            .warn("The schema registry listens on {} without authentication: anyone who can reach it can change schemas", bindHost);
      } else if (!tls) {
        org.slf4j.LoggerFactory.getLogger(RegistryServerOptions.class)
            .warn("The schema registry listens on {} over plain HTTP: passwords cross the network readable; give --ssl-keystore", bindHost);
      }
    }
    return builder;
  }

  /** The TLS context of the settings; a store that cannot be read (a wrong password) is the user's to fix. */
  private static javax.net.ssl.SSLContext tls(final ResolvedConfig config) {
    final Path keys = file(config, Settings.REGISTRY_SSL_KEYSTORE_LOCATION, "Key store");
    final String trust = config.get(Settings.REGISTRY_SSL_TRUSTSTORE_LOCATION);
    final Path trusted = trust.isEmpty() ? null : file(config, Settings.REGISTRY_SSL_TRUSTSTORE_LOCATION, "Trust store");
    try {
      return new ServerTls(
          keys,
          config.get(Settings.REGISTRY_SSL_KEYSTORE_TYPE),
          config.get(Settings.REGISTRY_SSL_KEYSTORE_PASSWORD),
          emptyToNull(config.get(Settings.REGISTRY_SSL_KEY_PASSWORD)),
          trusted,
          config.get(Settings.REGISTRY_SSL_TRUSTSTORE_TYPE),
          emptyToNull(config.get(Settings.REGISTRY_SSL_TRUSTSTORE_PASSWORD)))
          .context();
    } catch (final IllegalArgumentException e) {
      throw new UserException(e.getMessage(), e);
    }
  }

  private static List<String> users(final ResolvedConfig config, final Map<String, String> env) {
    final String inEnv = env.get(Settings.REGISTRY_USERS_ENV);
    final String file = config.get(Settings.REGISTRY_USERS_FILE);
    final boolean fromEnv = inEnv != null && !inEnv.isBlank();
    if (fromEnv && !file.isEmpty()) {
      throw new UserException(
          "Give the registry's users in " + Settings.REGISTRY_USERS_ENV + " or in registry.users.file ("
              + config.source(Settings.REGISTRY_USERS_FILE) + "), not both");
    }
    try {
      if (fromEnv) {
        return BasicAuthUsers.parse(inEnv, "the variable " + Settings.REGISTRY_USERS_ENV);
      }
      if (!file.isEmpty()) {
        final Path path = file(config, Settings.REGISTRY_USERS_FILE, "Users file");
        try {
          return BasicAuthUsers.parse(Files.readString(path, StandardCharsets.UTF_8), "the users file " + path);
        } catch (final IOException e) {
          throw new UserException("Cannot read the users file '" + path + "': " + e.getMessage(), e);
        }
      }
    } catch (final IllegalArgumentException e) {
      throw new UserException(e.getMessage(), e);
    }
    return List.of();
  }

  private static Path file(final ResolvedConfig config, final Setting setting, final String what) {
    return UserException.requireFile(what, Path.of(config.get(setting)), "check " + setting.key() + " (" + config.source(setting) + ")");
  }

  private static String emptyToNull(final String value) {
    return value.isEmpty() ? null : value;
  }

  /**
   * @param host an address or host name
   * @return whether it is this machine's loopback; a name that does not resolve is not
   */
  static boolean isLoopback(final String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (final UnknownHostException e) {
      return false;
    }
  }
}
