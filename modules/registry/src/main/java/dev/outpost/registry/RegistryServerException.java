package dev.outpost.registry;

/** The registry failed on its side (HTTP 5xx) or could not be reached after retries. */
public class RegistryServerException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was asked and what the registry answered
   * @param errorCode the registry's error code
   */
  public RegistryServerException(final String message, final int errorCode) {
    super(message, errorCode);
  }
}
