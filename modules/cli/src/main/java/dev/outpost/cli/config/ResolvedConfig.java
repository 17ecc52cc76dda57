package dev.outpost.cli.config;

import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration after flags, environment and file were merged. Declared {@link Settings} have a
 * value each; any other key from the file or from {@code OUTPOST_*} variables is kept in {@link
 * #passthrough()} and handed to the Kafka clients and the registry client as is (for example {@code
 * security.protocol} or {@code basic.auth.user.info}).
 *
 * @param values the value of each declared setting, by key
 * @param sources where each value came from, by key: a flag, a variable, a file or the default
 * @param passthrough other properties for the clients
 */
public record ResolvedConfig(
    Map<String, String> values, Map<String, String> sources, Map<String, String> passthrough) {

  /** Copies the maps. */
  public ResolvedConfig {
    values = Map.copyOf(values);
    sources = Map.copyOf(sources);
    passthrough = Map.copyOf(passthrough);
  }

  /**
   * @param setting a declared setting
   * @return its value
   */
  public String get(final Setting setting) {
    return values.get(setting.key());
  }

  /**
   * @return how long to wait for the cluster and the registry to answer, from {@link
   *     Settings#CONNECT_TIMEOUT}
   */
  public java.time.Duration connectTimeout() {
    return Durations.parse(Settings.CONNECT_TIMEOUT.key(), get(Settings.CONNECT_TIMEOUT));
  }

  /**
   * @param setting a declared setting
   * @return where its value came from: {@code flag --bootstrap-servers}, {@code environment
   *     variable OUTPOST_BOOTSTRAP_SERVERS}, {@code config file app.properties} or {@code default}
   */
  public String source(final Setting setting) {
    return sources.get(setting.key());
  }

  /**
   * @return properties for a Kafka client: passthrough properties plus {@code bootstrap.servers}
   */
  public Map<String, Object> kafkaProperties() {
    final Map<String, Object> props = new TreeMap<>(passthrough);
    props.put("bootstrap.servers", get(Settings.BOOTSTRAP_SERVERS));
    return props;
  }

  /**
   * @return a registry client for {@link #registryProperties()}; the caller closes it
   */
  public SchemaRegistryClient newRegistryClient() {
    return new HttpSchemaRegistryClient(RegistryClientConfig.fromProperties(registryProperties()));
  }

  /**
   * @return properties for the registry client and serdes: passthrough plus {@code
   *     schema.registry.url}
   */
  public Map<String, Object> registryProperties() {
    final Map<String, Object> props = new TreeMap<>(passthrough);
    props.put("schema.registry.url", get(Settings.SCHEMA_REGISTRY_URL));
    if (!props.containsKey(CONFIG_PROVIDERS)) {
      return props;
    }
    // Kafka's clients resolve ${provider:path:key} references themselves; the registry client is
    // not Kafka's, so its settings are resolved here, by the same providers.
    try {
      return new TreeMap<>(new AbstractConfig(new ConfigDef(), props, Map.of(), false).originals());
    } catch (final ConfigException e) {
      throw new IllegalArgumentException("Cannot resolve a ${...} reference in the registry settings: " + e.getMessage(), e);
    }
  }

  private static final String CONFIG_PROVIDERS = "config.providers";
}
