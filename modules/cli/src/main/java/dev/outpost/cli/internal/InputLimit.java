package dev.outpost.cli.internal;

import dev.outpost.cli.UserException;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.config.Setting;
import dev.outpost.cli.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The most bytes Outpost reads whole from one input: a file, or the body of a URL. Inputs are
 * parsed in memory (a feed is one XML document), so without a bound a mistyped path or a hostile
 * server could make a command hold gigabytes. A file's size is checked before it is opened; a
 * stream is read only up to the bound plus one byte, whatever its headers claim, and then closed.
 *
 * @param maxBytes the bound, in bytes, from {@link Settings#MAX_INPUT_BYTES}
 */
public record InputLimit(int maxBytes) {

  /** The bound when nothing sets one. */
  public static final InputLimit DEFAULT = new InputLimit(Integer.parseInt(Settings.MAX_INPUT_BYTES.defaultValue()));

  /** Checks the bound. */
  public InputLimit {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("An input limit must be at least one byte, got " + maxBytes);
    }
  }

  /**
   * @param config the merged configuration
   * @return its bound
   */
  public static InputLimit of(final ResolvedConfig config) {
    return new InputLimit(Integer.parseInt(config.get(Settings.MAX_INPUT_BYTES)));
  }

  /**
   * @param file a regular file
   * @return its bytes
   * @throws InputTooLargeException naming the file, its size and the setting, when it is over the
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
   * @throws InputTooLargeException naming the source and the setting, when the declared length is
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
    final Setting setting = Settings.MAX_INPUT_BYTES;
    return new InputTooLargeException(
        what
            + "; raise "
            + setting.key()
            + " (flag --"
            + setting.key().replace('.', '-')
            + ", variable "
            + setting.envVar()
            + ") to read it");
  }

  /** An input over the bound: a {@link UserException}, as the user chose the input. */
  public static final class InputTooLargeException extends UserException {
    private static final long serialVersionUID = 1L;

    InputTooLargeException(final String message) {
      super(message);
    }
  }
}
