package dev.outpost.subscribers;

/**
 * A webhook secret that cannot be encrypted or decrypted: no secrets key is configured, the key
 * that encrypted it is not among those configured, or the record was altered. The message says
 * which, and never holds a key or a secret.
 */
public final class SecretCipherException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong and what to do
   */
  public SecretCipherException(final String message) {
    super(message);
  }

  /**
   * @param message what is wrong and what to do
   * @param cause the cryptographic failure
   */
  public SecretCipherException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
