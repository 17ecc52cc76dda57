package dev.outpost.cli.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One configuration setting, declared once: its key in a config file, the environment variable
 * that sets it, its default and a validator. Flags that set it are declared on the commands and
 * name the key in their description.
 *
 * @param key the key in a properties config file, such as {@code bootstrap.servers}
 * @param defaultValue the value when nothing sets it
 * @param doc one line for help texts
 * @param validator returns an error description for a bad value, or empty when it is fine
 * @see Settings
 */
public record Setting(
    String key, String defaultValue, String doc, Function<String, Optional<String>> validator) {

  /** Checks for nulls. */
  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(doc, "doc");
    Objects.requireNonNull(validator, "validator");
  }

  /**
   * The environment variable for a key: {@code OUTPOST_} and the key upper-cased, with dots and
   * dashes as underscores. {@code bootstrap.servers} is {@code OUTPOST_BOOTSTRAP_SERVERS}.
   *
   * @param key a config key
   * @return its environment variable
   */
  public static String envVarFor(final String key) {
    return "OUTPOST_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * @return the environment variable that sets this setting
   */
  public String envVar() {
    return envVarFor(key);
  }
}
