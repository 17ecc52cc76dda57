package dev.outpost.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The most bytes Outpost reads whole from one input: a file, or the body of a URL. Inputs are
 * parsed in memory (a feed is one XML document), so without a bound a mistyped path or a hostile
 * server could make a command hold gigabytes. A file's size is checked before it is opened; a
 * stream is read only up to the bound plus one byte, whatever its headers claim, and then closed.
 *
 * @param maxBytes the bound, in bytes
 * @param remedy what a refusal ends with, saying how to read a larger input; the caller knows
 *     where the bound was set (the {@code outpost} command names its setting, flag and variable)
 */
public record InputLimit(int maxBytes, String remedy) {

  /** The bound when nothing sets one: 50 MiB. */
  public static final int DEFAULT_MAX_BYTES = 52_428_800;

  /** {@link #DEFAULT_MAX_BYTES}, with no setting to name. */
  public static final InputLimit DEFAULT = new InputLimit(DEFAULT_MAX_BYTES);

  /** Checks the bound. */
  public InputLimit {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("An input limit must be at least one byte, got " + maxBytes);
    }
    Objects.requireNonNull(remedy, "remedy");
  }

  /**
   * @param maxBytes the bound, in bytes
   */
  public InputLimit(final int maxBytes) {
    this(maxBytes, "raise the input limit to read it");
  }

  /**
   * @param file a regular file
   * @return its bytes
   * @throws InputTooLargeException naming the file, its size and the remedy, when it is over the
   *     bound (checked before reading, and again while reading, as a file may grow)
   * @throws IOException when it cannot be read
   */
  public byte[] readFile(final Path file) throws IOException {
    final long size = Files.size(file);
    final String what = "Input file '" + file + "'";
    if (size > maxBytes) {
      throw tooLarge(what + " is " + size + " bytes, over the limit of " + maxBytes + " bytes");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, what);
    }
  }

  /**
   * Reads a body whose sender may have declared its length.
   *
   * @param in the body; closed by the caller
   * @param what the source, as the message should name it, such as "GET http://..."
   * @param declared the length the sender declared (Content-Length), if any
   * @return the bytes
   * @throws InputTooLargeException naming the source and the remedy, when the declared length is
   *     over the bound (nothing is read) or the body runs past it
   * @throws IOException when the stream fails
   */
  public byte[] read(final InputStream in, final String what, final OptionalLong declared) throws IOException {
    if (declared.isPresent() && declared.getAsLong() > maxBytes) {
      throw tooLarge(
          what + " declares a body of " + declared.getAsLong() + " bytes (Content-Length), over the limit of " + maxBytes + " bytes");
    }
    return read(in, what);
  }

  private byte[] read(final InputStream in, final String what) throws IOException {
    // One byte more than allowed tells "exactly at the bound" from "past it" without reading on.
    final byte[] bytes = in.readNBytes(maxBytes + 1);
    if (bytes.length > maxBytes) {
      throw tooLarge(what + " holds more than " + maxBytes + " bytes, the limit");
    }
    return bytes;
  }

  private InputTooLargeException tooLarge(final String what) {
    return new InputTooLargeException(what + "; " + remedy);
  }

  /** An input over the bound: an {@link IngestException}, as the user chose the input. */
  public static final class InputTooLargeException extends IngestException {
    private static final long serialVersionUID = 1L;

    InputTooLargeException(final String message) {
      super(message);
    }
  }
}
