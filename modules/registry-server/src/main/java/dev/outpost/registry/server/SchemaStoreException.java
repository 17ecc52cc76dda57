package dev.outpost.registry.server;

/**
 * A {@link SchemaStore} could not persist or read its log. The server answers HTTP 500 with error
 * code 50001, as Confluent's registry does when its Kafka store fails.
 */
public class SchemaStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed
   * @param cause the underlying failure, or {@code null}
   */
  public SchemaStoreException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
