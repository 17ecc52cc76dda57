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
}
