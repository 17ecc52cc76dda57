package dev.outpost.registry;

/** No schema has that id, or the subject has no such schema (error code 40403). */
public class SchemaNotFoundException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was asked and what the registry answered
   * @param errorCode the registry's error code
   */
  public SchemaNotFoundException(final String message, final int errorCode) {
    super(message, errorCode);
  }
}
