package dev.outpost.cli;

/**
 * An expected failure caused by what the user gave: a bad flag value, a missing or malformed file,
 * an unknown topic. The CLI prints its message on one line, without a stack trace, and exits with
 * {@link Outpost#EXIT_USAGE}. The message must say what was wrong and how to fix it.
 */
public class UserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was wrong and what to do about it
   */
  public UserException(final String message) {
    super(message);
  }

  /**
   * @param message what was wrong and what to do about it
   * @param cause the underlying failure
   */
  public UserException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
