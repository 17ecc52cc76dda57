package dev.outpost.registry;

/**
 * Root of every error the registry client reports. Subclasses map the registry's error codes; the
 * message always says what was asked and what the registry answered.
 */
public class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The registry's numeric error code, or -1 when the failure did not come from the registry. */
  private final int errorCode;

  /**
   * @param message what went wrong
   * @param errorCode the registry's error code, or -1
   */
  public SchemaRegistryException(final String message, final int errorCode) {
    super(message);
    this.errorCode = errorCode;
  }

  /**
   * @param message what went wrong
   * @param errorCode the registry's error code, or -1
   * @param cause the underlying failure
   */
  public SchemaRegistryException(final String message, final int errorCode, final Throwable cause) {
    super(message, cause);
    this.errorCode = errorCode;
  }

  /**
   * @return the registry's error code (such as 40401), or -1 when there was none
   */
  public int errorCode() {
    return errorCode;
  }
}
