package dev.outpost.registry;

/** The subject has no such version (error code 40402). */
public class VersionNotFoundException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was asked and what the registry answered
   * @param errorCode the registry's error code
   */
  public VersionNotFoundException(final String message, final int errorCode) {
    super(message, errorCode);
  }
}
