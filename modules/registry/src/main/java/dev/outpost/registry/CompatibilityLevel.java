package dev.outpost.registry;

import java.util.Locale;

/**
 * The compatibility levels of Confluent Schema Registry. A new schema version is checked against
 * the latest version ({@code BACKWARD}, {@code FORWARD}, {@code FULL}) or all earlier versions
 * (the {@code _TRANSITIVE} levels).
 */
public enum CompatibilityLevel {
  /** No check. */
  NONE,
  /** Readers with the new schema can read data written with the latest one. */
  BACKWARD,
  /** Readers with the new schema can read data written with every earlier one. */
  BACKWARD_TRANSITIVE,
  /** Readers with the latest schema can read data written with the new one. */
  FORWARD,
  /** Readers with every earlier schema can read data written with the new one. */
  FORWARD_TRANSITIVE,
  /** Both BACKWARD and FORWARD against the latest schema. */
  FULL,
  /** Both BACKWARD and FORWARD against every earlier schema. */
  FULL_TRANSITIVE;

  /** The registry's default level. */
  public static final CompatibilityLevel DEFAULT = BACKWARD;

  /**
   * Parses a level as the registry writes it, ignoring case.
   *
   * @param value such as {@code "BACKWARD"} or {@code "full_transitive"}
   * @return the level
   * @throws InvalidSchemaException naming the value and the valid ones, if it is none of them
   */
  public static CompatibilityLevel parse(final String value) {
    if (value != null) {
      final String upper = value.trim().toUpperCase(Locale.ROOT);
      for (final CompatibilityLevel level : values()) {
        if (level.name().equals(upper)) {
          return level;
        }
      }
    }
    throw new InvalidSchemaException(
        "Invalid compatibility level '"
            + value
            + "': expected one of "
            + java.util.Arrays.toString(values()),
        42203);
  }

  /**
   * @return true if the check runs against every earlier version, not only the latest
   */
  public boolean isTransitive() {
    return this == BACKWARD_TRANSITIVE || this == FORWARD_TRANSITIVE || this == FULL_TRANSITIVE;
  }
}
