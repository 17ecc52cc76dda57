package dev.outpost.registry.server;

import java.util.Locale;
import java.util.Optional;

/**
 * What a registry (or one subject) accepts, as Confluent's {@code /mode} sets it. The default is
 * {@link #READWRITE}.
 */
public enum RegistryMode {
  /** Registers, deletes and configures as usual; registration assigns the id and version. */
  READWRITE,
  /** Refuses registration, deletes and compatibility changes (42205); reads are served. */
  READONLY,
  /** As {@link #READONLY}; Confluent sets it where a read-only state must not be lifted below. */
  READONLY_OVERRIDE,
  /**
   * Registration must name the schema's {@code id} (and may name its {@code version}), as a
   * migration from another registry does; no compatibility check is made.
   */
  IMPORT,
  /**
   * As {@link #IMPORT} for registration (ids are named); Confluent's registry sets it on a subject
   * whose schemas another registry forwards to it. Read from a shared store so that no mode a
   * Confluent registry wrote is lost.
   */
  FORWARD;

  /**
   * @param text a mode's name, in any case
   * @return the mode, or empty if the text names none
   */
  public static Optional<RegistryMode> parse(final String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
    } catch (final IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * @return true for the read-only modes
   */
  public boolean readOnly() {
    return this == READONLY || this == READONLY_OVERRIDE;
  }

  /**
   * @return true for the modes in which registration names the schema's id
   */
  public boolean importsIds() {
    return this == IMPORT || this == FORWARD;
  }
}
