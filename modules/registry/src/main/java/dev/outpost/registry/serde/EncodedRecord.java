package dev.outpost.registry.serde;

import java.util.Arrays;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * A record as {@link SpecificAvroDeserializer#deserializeEncoded} read it: the decoded value, the
 * schema id of its header, and the Avro body it was decoded from. Read-only: the body stays in
 * the array it arrived in, which nothing here writes to.
 *
 * <p>When the body was written with exactly the reader's schema and held nothing past the record
 * ({@link #isOwnEncoding()}), it is the value's own Avro encoding, and {@link
 * SpecificAvroSerializer#serialize(String, org.apache.avro.specific.SpecificRecord,
 * EncodedRecord)} can write it as it is, in place of encoding the value again, into a record whose
 * first field holds it.
 *
 * @param <T> the generated record class
 */
public final class EncodedRecord<T> {

  private final T value;
  private final int schemaId;
  private final Schema readerSchema;
  private final boolean ownEncoding;
  private final byte[] data;
  private final int bodyOffset;
  private final int bodyLength;

  EncodedRecord(
      final T value,
      final int schemaId,
      final Schema readerSchema,
      final boolean ownEncoding,
      final byte[] data,
      final int bodyOffset,
      final int bodyLength) {
    this.value = Objects.requireNonNull(value, "value");
    this.schemaId = schemaId;
    this.readerSchema = Objects.requireNonNull(readerSchema, "readerSchema");
    this.ownEncoding = ownEncoding;
    this.data = Objects.requireNonNull(data, "data");
    Objects.checkFromIndexSize(bodyOffset, bodyLength, data.length);
    this.bodyOffset = bodyOffset;
    this.bodyLength = bodyLength;
  }

  /** @return the decoded record */
  public T value() {
    return value;
  }

  /** @return the schema id in the record's header: the schema it was written with */
  public int schemaId() {
    return schemaId;
  }

  /** @return the schema the value was decoded into, its class's */
  public Schema readerSchema() {
    return readerSchema;
  }

  /**
   * @return true when the body is the value's own encoding under {@link #readerSchema()}: the
   *     writer schema its id resolves to equals the reader's, and the record ended where the body
   *     did. False for a record written with another version of the schema (its fields may differ
   *     in number, order or type), or followed by bytes the decoder did not read.
   */
  public boolean isOwnEncoding() {
    return ownEncoding;
  }

  /** @return a copy of the Avro body, after the wire-format header */
  public byte[] body() {
    return Arrays.copyOfRange(data, bodyOffset, bodyOffset + bodyLength);
  }

  /** @return the body's length in bytes */
  public int bodyLength() {
    return bodyLength;
  }

  byte[] data() {
    return data;
  }

  int bodyOffset() {
    return bodyOffset;
  }
}
