package dev.outpost.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A benchmark's data directory: a temporary one goes on close, with what is in it; a given one stays. */
class BenchmarkDirectoryTest {

  @TempDir Path given;

  @Test
  void aTemporaryDirectoryIsDeletedWithItsContents() throws IOException {
    final Path path;
    try (BenchmarkDirectory dir = BenchmarkDirectory.of(null)) {
      path = dir.path();
      Files.writeString(Files.createDirectories(path.resolve("stack/kafka")).resolve("log"), "x");
      assertThat(path.getFileName().toString()).startsWith("outpost-bench-");
    }

    assertThat(path).doesNotExist();
  }

  @Test
  void aGivenDirectoryIsKept() throws IOException {
    try (BenchmarkDirectory dir = BenchmarkDirectory.of(given)) {
      assertThat(dir.path()).isEqualTo(given);
      Files.writeString(given.resolve("archive"), "x");
    }

    assertThat(given.resolve("archive")).hasContent("x");
  }
}
