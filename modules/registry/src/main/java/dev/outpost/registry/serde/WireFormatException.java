package dev.outpost.registry.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record that could not be read from the wire format, with what kind of problem it was, so a
 * dead-letter handler can tell bad data (which will never read) from a registry that is down for
 * a while (which will).
 */
public class WireFormatException extends SerializationException {

  private static final long serialVersionUID = 1L;

  /** What was wrong with the record. */
  public enum Problem {
    /** Fewer bytes than the magic byte and the schema id. */
    TRUNCATED_HEADER(false),
    /** The first byte is not the wire format's magic byte. */
    WRONG_MAGIC_BYTE(false),
    /** The registry has no schema with the record's id. */
    UNKNOWN_SCHEMA_ID(false),
    /** The registry could not be reached or failed; the same record may read later. */
    REGISTRY_UNAVAILABLE(true),
    /** The writer schema cannot be resolved into the reader's. */
    INCOMPATIBLE_SCHEMA(false),
    /** No generated class to read the record into. */
    NO_READER_CLASS(false),
    /** The Avro body ends before the record is complete. */
    TRUNCATED_BODY(false),
    /** The Avro body does not decode. */
    MALFORMED_BODY(false);

    private final boolean transientFailure;

    Problem(final boolean transientFailure) {
      this.transientFailure = transientFailure;
    }

    /** @return true when retrying the same bytes later may succeed */
    public boolean isTransient() {
      return transientFailure;
    }
  }

  private final Problem problem;

  /**
   * @param problem what was wrong
   * @param message what was wrong, naming the topic
   * @param cause the underlying failure, or null
   */
  public WireFormatException(final Problem problem, final String message, final Throwable cause) {
    super(message, cause);
    this.problem = problem;
  }

  /** @return what was wrong with the record */
  public Problem problem() {
    return problem;
  }

  /**
   * Tells a record that cannot be read now (the registry is down or refuses the client) from one
   * that never will: only the second may be skipped.
   *
   * @param failure what reading a record threw, as the deserializer threw it or wrapped by Kafka
   * @return the transient wire-format failure in its cause chain, if there is one
   */
  public static java.util.Optional<WireFormatException> transientIn(final Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof WireFormatException w && w.problem.isTransient()) {
        return java.util.Optional.of(w);
      }
    }
    return java.util.Optional.empty();
  }
}
