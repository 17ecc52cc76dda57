package dev.outpost.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.ingest.IngestException;
import dev.outpost.ingest.InputLimit;
import dev.outpost.ingest.NewsFileReader;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.NewsItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {

  private static final Instant T0 = Instant.parse("2019-03-01T06:00:00Z");

  @TempDir Path dir;
  private final List<String> problems = new ArrayList<>();
  private final NewsFileReader reader = new NewsFileReader(Clock.fixed(T0, ZoneOffset.UTC));

  @Test
  void anArchiveIsReadDayByDayWhateverTheOrderTheFilesWereWritten() throws IOException {
    final Path days = Files.createDirectories(dir.resolve("news.items.v1"));
    avro(days.resolve("2019-03-02.avro"), item("c", 30), item("d", 31));
    avro(days.resolve("2019-03-01.avro"), item("a", 0), item("b", 1));

    try (FileSource source = new FileSource(dir, reader, problems::add)) {
      assertThat(source.size()).isEqualTo(4);
      assertThat(ids(source)).containsExactly("a", "b", "c", "d");
      assertThat(source.position()).containsEntry("items", 4L);
    }
  }

  @Test
  void eachArchivedItemComesWithTheBytesItWasStoredAsAndTextItemsWithout() throws IOException {
    final Path days = Files.createDirectories(dir.resolve("a"));
    avro(days.resolve("2019-03-01.avro"), item("a", 0), item("b", 1), item("c", 2));
    Files.writeString(days.resolve("2019-03-02.jsonl"), line("d", 30));

    try (FileSource source = new FileSource(days, reader, problems::add)) {
      for (int i = 0; i < 3; i++) {
        final NewsItem item = source.next();
        final NewsItem decoded =
            new org.apache.avro.specific.SpecificDatumReader<NewsItem>(source.storedSchema(), NewsItem.getClassSchema())
                .read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(source.storedBytes(), null));
        assertThat(decoded).isEqualTo(item);
      }
      assertThat(source.next().getId()).isEqualTo("d");
      assertThat(source.storedBytes()).isNull();
    }
  }

  @Test
  void aPositionSavedInOneRunIsTheSamePlaceInTheNext() throws IOException {
    avro(dir.resolve("2019-03-01.avro"), item("a", 0), item("b", 1));
    Files.writeString(dir.resolve("2019-03-02.jsonl"), line("c", 30) + line("d", 31));
    final java.util.Map<String, Long> saved;
    try (FileSource first = new FileSource(dir, reader, problems::add)) {
      first.next();
      first.next();
      first.next();
      saved = first.position();
    }

    try (FileSource second = new FileSource(dir, reader, problems::add)) {
      second.resume(saved);
      assertThat(ids(second)).containsExactly("d");
    }
  }

  @Test
  void badEntriesAreReportedWithTheirPlaceAndCountedAndTheRestIsRead() throws IOException {
    Files.writeString(dir.resolve("items.jsonl"), line("a", 0) + "{\"title\": \n" + line("b", 1));

    try (FileSource source = new FileSource(dir.resolve("items.jsonl"), reader, problems::add)) {
      assertThat(source.size()).as("two items and one bad line").isEqualTo(3);
      assertThat(ids(source)).containsExactly("a", "b");
      assertThat(source.bad()).isEqualTo(1);
    }
    assertThat(problems).singleElement().asString().contains("items.jsonl", ":2");
  }

  @Test
  void anArchiveOfAnotherTopicIsRefusedWithWhereToPoint() throws IOException {
    final Path file = dir.resolve("2019-03-01.avro");
    try (DataFileWriter<Alert> writer = new DataFileWriter<>(new SpecificDatumWriter<>(Alert.class))) {
      writer.create(Alert.getClassSchema(), file.toFile());
      writer.append(
          Alert.newBuilder().setAlertId("a#parade").setItemId("a").setCategory(Category.PARADE).setConfidence(1)
              .setActors(List.of()).setEvidence(List.of()).setTitle("t").setSource("s").setPublishedAt(T0)
              .setClassifiedAt(T0).setClassifierVersion("v").build());
    }

    try (FileSource source = new FileSource(dir, reader, problems::add)) {
      assertThatThrownBy(source::next)
          .isInstanceOf(IngestException.class)
          .hasMessageContaining("dev.outpost.model.Alert records, not news items")
          .hasMessageContaining("news.items.v1");
    }
  }

  @Test
  void aDirectoryWithoutNewsFilesOrAMissingPathIsNamed() throws IOException {
    Files.writeString(dir.resolve("notes.md"), "nothing here");

    assertThatThrownBy(() -> new FileSource(dir, reader, problems::add)).hasMessageContaining("holds no news files");
    assertThatThrownBy(() -> new FileSource(dir.resolve("missing"), reader, problems::add)).hasMessageContaining("neither a file nor a directory");
  }

  @Test
  void aTextFileOverTheInputLimitIsRefusedBeforeAnyItemIsSentWhileAnArchiveIsNotBoundByIt() throws IOException {
    final Path days = Files.createDirectories(dir.resolve("mixed"));
    // An archive larger than the limit: read block by block, never whole.
    avro(days.resolve("2019-03-01.avro"), item("a", 0), item("b", 1), item("c", 2), item("d", 3), item("e", 4));
    final Path big = days.resolve("2019-03-02.jsonl");
    Files.writeString(big, line("f", 30) + line("g", 31));
    final int limit = (int) Files.size(big) - 1;
    assertThat(Files.size(days.resolve("2019-03-01.avro"))).isGreaterThan(limit);

    try (FileSource source = new FileSource(days, reader, problems::add, new InputLimit(limit, "raise the test's limit to read it"))) {
      assertThatThrownBy(source::size)
          .isInstanceOf(IngestException.class)
          .hasMessage(
              "Input file '" + big + "' is " + Files.size(big) + " bytes, over the limit of " + limit
                  + " bytes; raise the test's limit to read it");
    }
    try (FileSource archiveOnly = new FileSource(days.resolve("2019-03-01.avro"), reader, problems::add, new InputLimit(limit))) {
      assertThat(ids(archiveOnly)).containsExactly("a", "b", "c", "d", "e");
    }
  }

  private static List<String> ids(final FileSource source) {
    final List<String> ids = new ArrayList<>();
    for (NewsItem item = source.next(); item != null; item = source.next()) {
      ids.add(item.getId());
    }
    return ids;
  }

  private static NewsItem item(final String id, final int hours) {
    return NewsItem.newBuilder().setId(id).setSource("test").setTitle("Item " + id).setBody("Text of " + id)
        .setPublishedAt(T0.plusSeconds(3600L * hours)).setIngestedAt(T0).build();
  }

  private static String line(final String id, final int hours) {
    return "{\"id\":\"" + id + "\",\"title\":\"Item " + id + "\",\"body\":\"Text\",\"publishedAt\":\"" + T0.plusSeconds(3600L * hours) + "\"}\n";
  }

  private static void avro(final Path file, final NewsItem... items) throws IOException {
    try (DataFileWriter<NewsItem> writer = new DataFileWriter<>(new SpecificDatumWriter<>(NewsItem.class))) {
      writer.create(NewsItem.getClassSchema(), file.toFile());
      for (final NewsItem item : items) {
        writer.append(item);
      }
    }
  }
}
