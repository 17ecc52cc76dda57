package dev.outpost.topology;

/**
 * A news item that is well-formed Avro but not one the pipeline accepts: a required field is
 * empty, or a field is larger than allowed. An expected condition: the item is dead-lettered and
 * logged in one line, without a stack trace.
 */
public final class InvalidItemException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final DeadLetterReason reason;

  /**
   * @param reason which rule the item broke
   * @param message what was wrong, naming the field and the limit
   */
  public InvalidItemException(final DeadLetterReason reason, final String message) {
    super(message);
    this.reason = reason;
  }

  /** @return which rule the item broke */
  public DeadLetterReason reason() {
    return reason;
  }
}
