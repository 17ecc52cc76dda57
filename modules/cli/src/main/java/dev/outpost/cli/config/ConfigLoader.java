package dev.outpost.cli.config;

import dev.outpost.cli.UserException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Merges configuration from, in order of precedence: flags, {@code OUTPOST_*} environment
 * variables, a properties file, and the defaults of {@link Settings}. Every value is validated;
 * a bad one fails with a {@link UserException} that names the key, the value and where it came
 * from.
 *
 * <p>The file is named by {@code --config} or by the {@code OUTPOST_CONFIG} variable.
 */
public final class ConfigLoader {

  /** The variable that names a config file when {@code --config} is not given. */
  public static final String CONFIG_ENV = "OUTPOST_CONFIG";

  private static final String ENV_PREFIX = "OUTPOST_";

  private ConfigLoader() {}

  /**
   * @param flags values given as flags, by setting key; absent keys were not given
   * @param configFile the file given with {@code --config}, if any
   * @param env the environment, usually {@code System.getenv()}
   * @return the merged, validated configuration
   * @throws UserException if the file cannot be read or a value is invalid
   */
  public static ResolvedConfig load(
      final Map<String, String> flags, final Optional<Path> configFile, final Map<String, String> env) {
    final Optional<Path> file =
        configFile.or(() -> Optional.ofNullable(env.get(CONFIG_ENV)).filter(s -> !s.isBlank()).map(Path::of));
    final Properties fromFile = file.map(ConfigLoader::read).orElseGet(Properties::new);
    final String fileLabel = file.map(p -> "config file " + p).orElse("");

    final Map<String, String> values = new HashMap<>();
    final Map<String, String> sources = new HashMap<>();
    for (final Setting setting : Settings.ALL) {
      final String value;
      final String source;
      if (flags.get(setting.key()) != null) {
        value = flags.get(setting.key());
        source = "flag --" + setting.key().replace('.', '-');
      } else if (env.get(setting.envVar()) != null) {
        value = env.get(setting.envVar());
        source = "environment variable " + setting.envVar();
      } else if (fromFile.getProperty(setting.key()) != null) {
        value = fromFile.getProperty(setting.key());
        source = fileLabel;
      } else {
        value = setting.defaultValue();
        source = "default";
      }
      final Optional<String> problem = setting.validator().apply(value.trim());
      if (problem.isPresent()) {
        throw new UserException(
            "Invalid " + setting.key() + " '" + value + "' (from " + source + "): " + problem.get());
      }
      values.put(setting.key(), value.trim());
      sources.put(setting.key(), source);
    }

    final Map<String, String> passthrough = new HashMap<>();
    for (final String key : fromFile.stringPropertyNames()) {
      if (!values.containsKey(key)) {
        passthrough.put(key, fromFile.getProperty(key).trim());
      }
    }
    for (final Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith(ENV_PREFIX) && !e.getKey().equals(CONFIG_ENV)) {
        final String key = keyForEnvVar(e.getKey());
        if (!values.containsKey(key) && !isOwnVariable(e.getKey())) {
          passthrough.put(key, e.getValue());
        }
      }
    }
    return new ResolvedConfig(values, sources, passthrough);
  }

  /**
   * @param envVar such as {@code OUTPOST_SECURITY_PROTOCOL}
   * @return the property key it sets, such as {@code security.protocol}
   */
  static String keyForEnvVar(final String envVar) {
    return envVar.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /**
   * Variables that configure commands rather than clients, such as the demo's ports, the ops
   * server's address and token, the registry server's users and store passwords, or the key that encrypts webhook secrets, which must never reach a
   * Kafka client's settings.
   */
  private static boolean isOwnVariable(final String envVar) {
    return envVar.startsWith("OUTPOST_DEMO_")
        || envVar.startsWith("OUTPOST_OPS_")
        || envVar.startsWith("OUTPOST_REGISTRY_")
        || envVar.equals("OUTPOST_CONFIG")
        || envVar.equals(Settings.SECRETS_KEY_ENV);
  }

  private static Properties read(final Path file) {
    UserException.requireFile("Config file", file, "pass an existing properties file to --config");
    final Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      props.load(reader);
    } catch (final IOException | IllegalArgumentException e) {
      throw new UserException("Cannot read config file '" + file + "': " + e.getMessage(), e);
    }
    return props;
  }
}
