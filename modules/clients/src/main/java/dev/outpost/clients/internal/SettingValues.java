package dev.outpost.clients.internal;

import java.util.Locale;

/** What {@code ProducerSettings} and {@code ConsumerSettings} share: reading a value, refusing one. */
public final class SettingValues {

  private SettingValues() {}

  /**
   * @param value a setting's value, a string from a configuration file or a typed value
   * @return it as Kafka compares it: trimmed, lower case
   */
  public static String text(final Object value) {
    return value.toString().trim().toLowerCase(Locale.ROOT);
  }

  /**
   * @param key the setting
   * @param value the value asked for
   * @param why what the setting Outpost sets instead guarantees
   * @return the exception that refuses the value, naming both
   */
  public static IllegalArgumentException refused(final String key, final Object value, final String why) {
    return new IllegalArgumentException(
        "Refusing " + key + "=" + value + ": " + why + "; remove the setting, Outpost sets it itself");
  }
}
