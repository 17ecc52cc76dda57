package dev.outpost.ingest;

/**
 * The root of what this module throws on purpose: an input that cannot be read (a missing,
 * malformed or oversized file, a feed that does not answer or is not a feed), a directory another
 * run holds, a replay that cannot go on. Its message says what was wrong and what to do about it,
 * in a sentence a user can act on; the {@code outpost} command prints it on one line, without a
 * stack trace, and exits as it does for a bad flag.
 */
public class IngestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was wrong and what to do about it
   */
  public IngestException(final String message) {
    super(message);
  }

  /**
   * @param message what was wrong and what to do about it
   * @param cause the underlying failure
   */
  public IngestException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
