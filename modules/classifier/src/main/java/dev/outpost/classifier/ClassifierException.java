package dev.outpost.classifier;

/** Root of the classifier's errors: a rules or gazetteer file that cannot be used. */
public class ClassifierException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was wrong, naming the file and the entry
   */
  public ClassifierException(final String message) {
    super(message);
  }

  /**
   * @param message what was wrong, naming the file and the entry
   * @param cause the underlying failure
   */
  public ClassifierException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
