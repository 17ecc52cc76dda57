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

  /**
   * @param message what was asked and what went wrong
   * @param errorCode the registry's error code, or -1 when the failure did not come from it
   * @param cause the underlying failure
   */
  public RegistryServerException(final String message, final int errorCode, final Throwable cause) {
    super(message, errorCode, cause);
  }
}
