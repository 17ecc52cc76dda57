package dev.outpost.cli;

import dev.outpost.cli.config.ConfigLoader;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.config.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Options shared by the commands that talk to a cluster. Each can also come from an {@code
 * OUTPOST_*} environment variable or a properties file; flags win, then variables, then the file.
 */
public final class ClusterOptions {

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      description = {
        "Kafka brokers. Config key bootstrap.servers, variable OUTPOST_BOOTSTRAP_SERVERS.",
        "Default: localhost:9092 (where 'outpost demo' listens)."
      })
  private String bootstrapServers;

  @Option(
      names = "--schema-registry-url",
      paramLabel = "URL[,...]",
      description = {
        "Schema registry. Config key schema.registry.url, variable OUTPOST_SCHEMA_REGISTRY_URL.",
        "Default: http://localhost:8081."
      })
  private String schemaRegistryUrl;

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      description = {
        "How long to wait for the cluster and the registry to answer before saying which cannot be reached and exiting 1.",
        "Config key connect.timeout, variable OUTPOST_CONNECT_TIMEOUT. Default: " + Settings.DEFAULT_CONNECT_TIMEOUT + "."
      })
  private String connectTimeout;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = {
        "Properties file with the keys above and any Kafka or registry client settings",
        "(security.protocol, basic.auth.user.info, ...). Variable OUTPOST_CONFIG."
      })
  private Path configFile;

  /**
   * @param env the environment
   * @return the merged configuration
   * @throws UserException when a value or the file is bad
   */
  public ResolvedConfig resolve(final Map<String, String> env) {
    return resolve(env, Map.of());
  }

  /**
   * @param env the environment
   * @param moreFlags values other option groups took from flags, by setting key
   * @return the merged configuration
   * @throws UserException when a value or the file is bad
   */
  public ResolvedConfig resolve(final Map<String, String> env, final Map<String, String> moreFlags) {
    return resolve(env, moreFlags, Map.of());
  }

  /**
   * @param env the environment
   * @param moreFlags values one other option group took from flags, by setting key
   * @param evenMoreFlags values a second option group took from flags
   * @return the merged configuration
   * @throws UserException when a value or the file is bad
   */
  public ResolvedConfig resolve(
      final Map<String, String> env,
      final Map<String, String> moreFlags,
      final Map<String, String> evenMoreFlags) {
    final Map<String, String> flags = new HashMap<>(moreFlags);
    flags.putAll(evenMoreFlags);
    flags.put(Settings.BOOTSTRAP_SERVERS.key(), bootstrapServers);
    flags.put(Settings.SCHEMA_REGISTRY_URL.key(), schemaRegistryUrl);
    flags.put(Settings.CONNECT_TIMEOUT.key(), connectTimeout);
    return ConfigLoader.load(flags, Optional.ofNullable(configFile), env);
  }
}
