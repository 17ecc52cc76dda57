package dev.outpost.registry;

/** The schema breaks the subject's compatibility level (HTTP 409, error code 409 or 40901). */
public class IncompatibleSchemaException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was asked and what the registry answered
   * @param errorCode the registry's error code
   */
  public IncompatibleSchemaException(final String message, final int errorCode) {
    super(message, errorCode);
  }
}
