package dev.outpost.registry.serde;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format for schema-registry records: one magic byte {@code 0x00}, the schema id
 * as a 4-byte big-endian signed integer, then the Avro binary encoding of the value. This is the
 * only place Outpost defines those constants.
 */
public final class WireFormat {

  /** The first byte of every record in the wire format. */
  public static final byte MAGIC_BYTE = 0x0;

  /** The size of the schema id, in bytes. */
  public static final int ID_SIZE = 4;

  /** The size of the whole header: magic byte and schema id. */
  public static final int HEADER_SIZE = 1 + ID_SIZE;

  /**
   * Where a record's schema id and payload are.
   *
   * @param schemaId the registry id of the writer schema
   * @param payloadOffset the index of the first payload byte
   * @param payloadLength the number of payload bytes
   */
  public record Header(int schemaId, int payloadOffset, int payloadLength) {}

  private WireFormat() {}

  /**
   * Writes the header for a schema id: the magic byte, then the id big-endian.
   *
   * @param out the stream to write to
   * @param schemaId the registry id of the writer schema
   */
  public static void writeHeader(final ByteArrayOutputStream out, final int schemaId) {
    out.write(MAGIC_BYTE);
    out.write(schemaId >>> 24);
    out.write(schemaId >>> 16);
    out.write(schemaId >>> 8);
    out.write(schemaId);
  }

  /**
   * Writes the header for a schema id at the start of an array: the magic byte, then the id
   * big-endian.
   *
   * @param target the array to write to, at least {@link #HEADER_SIZE} long
   * @param schemaId the registry id of the writer schema
   */
  public static void writeHeader(final byte[] target, final int schemaId) {
    target[0] = MAGIC_BYTE;
    target[1] = (byte) (schemaId >>> 24);
    target[2] = (byte) (schemaId >>> 16);
    target[3] = (byte) (schemaId >>> 8);
    target[4] = (byte) schemaId;
  }

  /**
   * Frames an already-encoded payload.
   *
   * @param schemaId the registry id of the writer schema
   * @param payload the Avro binary encoding of the value
   * @return the header followed by the payload
   */
  public static byte[] write(final int schemaId, final byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    final ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER_SIZE + payload.length);
    writeHeader(out, schemaId);
    out.write(payload, 0, payload.length);
    return out.toByteArray();
  }

  /**
   * Checks the header of a record and says where its payload is.
   *
   * @param topic the topic the record came from, for error messages
   * @param data the record's bytes; not null
   * @return the schema id and where the payload is
   * @throws SerializationException naming the topic when the record is shorter than the header or
   *     does not start with the magic byte
   */
  public static Header parse(final String topic, final byte[] data) {
    Objects.requireNonNull(data, "data");
    if (data.length < HEADER_SIZE) {
      throw new WireFormatException(
          WireFormatException.Problem.TRUNCATED_HEADER,
          "topic '"
              + topic
              + "': payload truncated: "
              + data.length
              + " bytes, need at least "
              + HEADER_SIZE
              + " (magic byte and "
              + ID_SIZE
              + "-byte schema id)",
          null);
    }
    if (data[0] != MAGIC_BYTE) {
      throw new WireFormatException(
          WireFormatException.Problem.WRONG_MAGIC_BYTE,
          "topic '"
              + topic
              + "': wrong magic byte "
              + hex(data[0])
              + " (expected "
              + hex(MAGIC_BYTE)
              + "); the record was not written in the schema-registry wire format",
          null);
    }
    final int id =
        ((data[1] & 0xFF) << 24)
            | ((data[2] & 0xFF) << 16)
            | ((data[3] & 0xFF) << 8)
            | (data[4] & 0xFF);
    return new Header(id, HEADER_SIZE, data.length - HEADER_SIZE);
  }

  private static String hex(final byte value) {
    return String.format(Locale.ROOT, "0x%02X", value & 0xFF);
  }
}
