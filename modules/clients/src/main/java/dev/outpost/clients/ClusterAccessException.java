package dev.outpost.clients;

/**
 * The cluster cannot be used as the client's settings ask: it did not answer in time, refused the
 * credentials, did not allow the principal an operation, lacks a topic that must exist or refused
 * to create one. The message is one sentence that says what to change (the settings, the cluster,
 * or which command sets one up); the {@code outpost} command prints it on one line and exits as it
 * does for a bad flag, unless the cluster is {@linkplain #isUnreachable() out of reach}: that is no
 * mistake of the command line, and it exits as a failed run does. Kafka's exception, when there is
 * one, is the cause.
 *
 * @see TopicAdmin
 */
public final class ClusterAccessException extends ClientsException {

  private static final long serialVersionUID = 1L;

  private final boolean unreachable;

  /**
   * @param message what is wrong and what to do about it
   */
  ClusterAccessException(final String message) {
    this(message, null, false);
  }

  /**
   * @param message what is wrong and what to do about it
   * @param cause what the Kafka client reported
   */
  ClusterAccessException(final String message, final Throwable cause) {
    this(message, cause, false);
  }

  private ClusterAccessException(final String message, final Throwable cause, final boolean unreachable) {
    super(message, cause);
    this.unreachable = unreachable;
  }

  /**
   * A cluster, or a service beside it such as the schema registry, that did not answer at all.
   *
   * @param message what could not be reached, within how long, and which settings to check
   * @param cause what the client reported, or null
   * @return the exception
   */
  public static ClusterAccessException unreachable(final String message, final Throwable cause) {
    return new ClusterAccessException(message, cause, true);
  }

  /**
   * @return whether nothing answered, as opposed to a cluster that answered and refused
   */
  public boolean isUnreachable() {
    return unreachable;
  }
}
