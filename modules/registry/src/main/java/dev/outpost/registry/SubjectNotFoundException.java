package dev.outpost.registry;

/** The subject does not exist (error code 40401). */
public class SubjectNotFoundException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was asked and what the registry answered
   * @param errorCode the registry's error code
   */
  public SubjectNotFoundException(final String message, final int errorCode) {
    super(message, errorCode);
  }
}
