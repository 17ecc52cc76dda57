package dev.outpost.clients;

/**
 * The cluster cannot be used as the client's settings ask: it did not answer in time, refused the
 * credentials, did not allow the principal an operation, lacks a topic that must exist or refused
 * to create one. The message is one sentence that says what to change (the settings, the cluster,
 * or which command sets one up); the {@code outpost} command prints it on one line and exits as it
 * does for a bad flag. Kafka's exception, when there is one, is the cause.
 *
 * @see TopicAdmin
 */
public final class ClusterAccessException extends ClientsException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong and what to do about it
   */
  ClusterAccessException(final String message) {
    super(message);
  }

  /**
   * @param message what is wrong and what to do about it
   * @param cause what the Kafka client reported
   */
  ClusterAccessException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
