package dev.outpost.topology;

import java.util.Locale;

/**
 * Why a record went to the dead-letter topic. The name, in snake case, is the value of the {@link
 * DeadLetters#REASON} header and the tag of the dead-letter metric.
 */
public enum DeadLetterReason {
  /** Fewer bytes than the wire format's header. */
  TRUNCATED_HEADER,
  /** Not written in the registry wire format. */
  WRONG_MAGIC_BYTE,
  /** A schema id the registry does not know. */
  UNKNOWN_SCHEMA_ID,
  /** Written with a schema that cannot be read as a news item. */
  INCOMPATIBLE_SCHEMA,
  /** The Avro body ends too soon. */
  TRUNCATED_BODY,
  /** The Avro body does not decode. */
  MALFORMED_BODY,
  /** A null value where a news item was expected. */
  EMPTY_RECORD,
  /** A required field is empty. */
  MISSING_FIELD,
  /** The title is longer than allowed. */
  TITLE_TOO_LARGE,
  /** The body is longer than allowed. */
  BODY_TOO_LARGE,
  /** Reading, classifying or routing the item failed. */
  PROCESSING_FAILED,
  /** A result could not be serialized or written. */
  PRODUCTION_FAILED;

  /** @return the reason as it appears in headers and metrics */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
