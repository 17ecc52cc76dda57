package dev.outpost.registry;

/** The schema, version or compatibility level is not valid (error codes 42201, 42202, 42203). */
public class InvalidSchemaException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was asked and what the registry answered
   * @param errorCode the registry's error code
   */
  public InvalidSchemaException(final String message, final int errorCode) {
    super(message, errorCode);
  }

  /**
   * @param message what was asked and what went wrong
   * @param errorCode the registry's error code, or -1 when the failure did not come from it
   * @param cause the underlying failure
   */
  public InvalidSchemaException(final String message, final int errorCode, final Throwable cause) {
    super(message, errorCode, cause);
  }
}
