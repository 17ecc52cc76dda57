package dev.outpost.bench.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.utils.Utils;

/**
 * Where a benchmark's broker, state stores and archive live: a directory given, kept afterwards,
 * or a new temporary one, deleted with everything in it on {@link #close}.
 */
public final class BenchmarkDirectory implements AutoCloseable {

  private final Path path;
  private final boolean temporary;

  private BenchmarkDirectory(final Path path, final boolean temporary) {
    this.path = path;
    this.temporary = temporary;
  }

  /**
   * @param given the directory to use and keep, or null for a new temporary one
   * @return the directory
   * @throws IOException when no temporary directory can be made
   */
  public static BenchmarkDirectory of(final Path given) throws IOException {
    return given != null ? new BenchmarkDirectory(given, false) : new BenchmarkDirectory(Files.createTempDirectory("outpost-bench-"), true);
  }

  /** @return the directory */
  public Path path() {
    return path;
  }

  /** Deletes a temporary directory and everything in it; a given one is kept. */
  @Override
  public void close() {
    if (temporary) {
      try {
        Utils.delete(path.toFile());
      } catch (final IOException e) {
        // A temporary directory; the OS cleans it up eventually.
      }
    }
  }
}
