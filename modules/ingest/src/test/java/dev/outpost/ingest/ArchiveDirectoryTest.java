package dev.outpost.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.NewsItem;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive's files after a crash at each step of a commit: whatever was written after the last
 * commit is cut off on open, so the files hold exactly the records the recorded offsets cover.
 */
class ArchiveDirectoryTest {

  private static final LocalDate MONDAY = LocalDate.parse("2026-11-23");
  private static final LocalDate TUESDAY = LocalDate.parse("2026-11-24");

  @TempDir Path dir;

  private final List<String> reports = new ArrayList<>();

  @Test
  void recordsAppendedAfterTheLastCommitAreCutOffOnOpen() throws IOException {
    try (ArchiveDirectory archive = ArchiveDirectory.open(dir, reports::add)) {
      append(archive, MONDAY, 0, 300);
      archive.commit(Map.of(0, 300L));
      // The crash: records appended and flushed to the file, the position never recorded.
      append(archive, MONDAY, 300, 700);
    }
    assertThat(ids(MONDAY)).as("the uncommitted records reached the file").hasSize(700);

    try (ArchiveDirectory reopened = ArchiveDirectory.open(dir, reports::add)) {
      assertThat(reopened.offsets()).isEqualTo(Map.of(0, 300L));
      assertThat(ids(MONDAY)).containsExactlyElementsOf(range(0, 300));
      append(reopened, MONDAY, 300, 700);
      reopened.commit(Map.of(0, 700L));
    }

    assertThat(ids(MONDAY)).containsExactlyElementsOf(range(0, 700));
    assertThat(reports).singleElement().asString().contains("Cut", "2026-11-23.avro", "after it");
  }

  @Test
  void aDayFileCreatedAfterTheLastCommitIsRemovedAndATornTailCut() throws IOException {
    try (ArchiveDirectory archive = ArchiveDirectory.open(dir, reports::add)) {
      append(archive, MONDAY, 0, 10);
      archive.commit(Map.of(0, 10L, 1, 4L));
      append(archive, TUESDAY, 10, 20);
    }
    // A block cut short by the kill.
    Files.write(file(MONDAY), new byte[] {1, 2, 3, 4, 5}, StandardOpenOption.APPEND);

    try (ArchiveDirectory reopened = ArchiveDirectory.open(dir, reports::add)) {
      assertThat(reopened.offsets()).isEqualTo(Map.of(0, 10L, 1, 4L));
      append(reopened, TUESDAY, 10, 20);
      reopened.commit(Map.of(0, 20L));
      assertThat(reopened.offsets()).isEqualTo(Map.of(0, 20L, 1, 4L));
    }

    assertThat(ids(MONDAY)).containsExactlyElementsOf(range(0, 10));
    assertThat(ids(TUESDAY)).containsExactlyElementsOf(range(10, 20));
    assertThat(reports).anyMatch(r -> r.startsWith("Removed") && r.contains("2026-11-24.avro"));
    assertThat(reports).anyMatch(r -> r.startsWith("Cut") && r.contains("2026-11-23.avro"));
  }

  @Test
  void aCrashBeforeTheFirstCommitOfANewArchiveLeavesNothing() throws IOException {
    try (ArchiveDirectory archive = ArchiveDirectory.open(dir, reports::add)) {
      append(archive, MONDAY, 0, 500);
    }

    try (ArchiveDirectory reopened = ArchiveDirectory.open(dir, reports::add)) {
      assertThat(reopened.offsets()).isEmpty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(ArchiveDirectory.POSITION_FILE, ArchiveDirectory.LOCK_FILE);
    }
  }

  @Test
  void aDirectoryWithoutAPositionKeepsItsFilesAsTheyAre() throws IOException {
    try (ArchiveDirectory archive = ArchiveDirectory.open(dir, reports::add)) {
      append(archive, MONDAY, 0, 5);
      archive.commit(Map.of(0, 5L));
    }
    // As an archive written before there were position files.
    Files.delete(dir.resolve(ArchiveDirectory.POSITION_FILE));

    try (ArchiveDirectory reopened = ArchiveDirectory.open(dir, reports::add)) {
      assertThat(reopened.offsets()).as("the consumer group's offsets rule").isEmpty();
      append(reopened, MONDAY, 5, 8);
      reopened.commit(Map.of(0, 8L));
    }

    assertThat(ids(MONDAY)).containsExactlyElementsOf(range(0, 8));
    assertThat(reports).isEmpty();
  }

  @Test
  void aFileShorterThanRecordedIsRefusedWithWhatToDo() throws IOException {
    try (ArchiveDirectory archive = ArchiveDirectory.open(dir, reports::add)) {
      append(archive, MONDAY, 0, 100);
      archive.commit(Map.of(0, 100L));
    }
    try (FileChannel channel = FileChannel.open(file(MONDAY), StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - 10);
    }

    assertThatThrownBy(() -> ArchiveDirectory.open(dir, reports::add))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2026-11-23.avro")
        .hasMessageContaining("fewer than")
        .hasMessageContaining(ArchiveDirectory.POSITION_FILE);
  }

  @Test
  void aSecondRunIsRefusedWhileTheFirstHoldsTheDirectoryAndLeavesItsFilesAlone() throws IOException {
    try (ArchiveDirectory first = ArchiveDirectory.open(dir, reports::add)) {
      append(first, MONDAY, 0, 300);
      first.commit(Map.of(0, 300L));
      // Written, not yet committed: what a second run's repair would cut off.
      append(first, MONDAY, 300, 400);
      append(first, TUESDAY, 400, 410);

      assertThatThrownBy(() -> ArchiveDirectory.open(dir, reports::add))
          .isInstanceOf(IngestException.class)
          .hasMessageContaining("Another 'outpost archive' is writing " + dir)
          .hasMessageContaining("wait for it or stop it");

      first.commit(Map.of(0, 410L));
    }
    assertThat(reports).as("the refused run repaired nothing").isEmpty();
    assertThat(ids(MONDAY)).containsExactlyElementsOf(range(0, 400));
    assertThat(ids(TUESDAY)).containsExactlyElementsOf(range(400, 410));

    try (ArchiveDirectory next = ArchiveDirectory.open(dir, reports::add)) {
      assertThat(next.offsets()).as("once the first is closed, the next run may open it").isEqualTo(Map.of(0, 410L));
    }
  }

  @Test
  void aRunThatFailsToOpenLetsTheNextOneHaveTheDirectory() throws IOException {
    try (ArchiveDirectory archive = ArchiveDirectory.open(dir, reports::add)) {
      append(archive, MONDAY, 0, 100);
      archive.commit(Map.of(0, 100L));
    }
    final byte[] whole = Files.readAllBytes(file(MONDAY));
    try (FileChannel channel = FileChannel.open(file(MONDAY), StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - 10);
    }
    assertThatThrownBy(() -> ArchiveDirectory.open(dir, reports::add)).isInstanceOf(IllegalStateException.class);

    Files.write(file(MONDAY), whole);
    try (ArchiveDirectory restored = ArchiveDirectory.open(dir, reports::add)) {
      assertThat(restored.offsets()).isEqualTo(Map.of(0, 100L));
    }
  }

  private static void append(final ArchiveDirectory archive, final LocalDate day, final int from, final int to) throws IOException {
    for (int i = from; i < to; i++) {
      archive.append(
          day,
          NewsItem.newBuilder()
              .setId(id(i))
              .setSource("test")
              .setTitle("Item " + i)
              // Bodies large enough that Avro writes several blocks to the file on its own.
              .setBody(("Body of item " + i + ". ").repeat(40))
              .setPublishedAt(Instant.parse(day + "T12:00:00Z"))
              .setIngestedAt(Instant.parse("2026-11-28T10:00:00Z"))
              .build());
    }
  }

  private static String id(final int i) {
    return String.format(Locale.ROOT, "item-%05d", i);
  }

  private static List<String> range(final int from, final int to) {
    final List<String> ids = new ArrayList<>();
    for (int i = from; i < to; i++) {
      ids.add(id(i));
    }
    return ids;
  }

  private Path file(final LocalDate day) {
    return dir.resolve(day + ".avro");
  }

  private List<String> ids(final LocalDate day) throws IOException {
    final List<String> ids = new ArrayList<>();
    try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file(day).toFile(), new GenericDatumReader<>())) {
      reader.forEach(r -> ids.add(r.get("id").toString()));
    }
    return ids;
  }
}
