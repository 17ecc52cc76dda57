package dev.outpost.model;

import java.util.Locale;

/** Kafka's {@code cleanup.policy} for a topic in the {@link Topics} catalog. */
public enum CleanupPolicy {
  /** Old segments are deleted once past retention. */
  DELETE,
  /** Only the latest record per key is kept. */
  COMPACT;

  /**
   * @return the value Kafka expects for {@code cleanup.policy}
   */
  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
