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
   * Checks that a file the user named exists, so every command says it the same way.
   *
   * @param what what the file is for, such as "Input file" or "Rules file"
   * @param file the path the user gave
   * @param hint what to do instead, or empty
   * @return the file
   * @throws UserException naming the file when it is missing or not a regular file
   */
  public static java.nio.file.Path requireFile(
      final String what, final java.nio.file.Path file, final String hint) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new UserException(
          what + " '" + file + "' does not exist or is not a file" + (hint.isEmpty() ? "" : ": " + hint));
    }
    return file;
  }

  /**
   * @param message what was wrong and what to do about it
   * @param cause the underlying failure
   */
  public UserException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
