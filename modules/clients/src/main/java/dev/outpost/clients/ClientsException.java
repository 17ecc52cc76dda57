package dev.outpost.clients;

/**
 * The root of everything this module throws on purpose: a read that missed its deadline, a
 * cluster that did not answer in time, or refused. Kafka's own exceptions stay reachable as the
 * cause, so a caller can still tell an authentication failure from a timeout.
 */
public class ClientsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, naming the topic or group
   */
  public ClientsException(final String message) {
    super(message);
  }

  /**
   * @param message what failed, naming the topic or group
   * @param cause what the Kafka client reported
   */
  public ClientsException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
