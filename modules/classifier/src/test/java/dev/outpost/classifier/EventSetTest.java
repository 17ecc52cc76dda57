package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event set ({@code devset/events/*.jsonl}): real excerpts grouped by the event they report,
 * for measuring whether reports of one event from many outlets become one story. These tests hold
 * its shape, so a line added by hand cannot quietly break the measure: every excerpt complete and
 * dated, every event told by at least three different outlets, every id unique and named in
 * {@code SOURCES.md}.
 */
class EventSetTest {

  private static final Set<String> FIELDS =
      Set.of("id", "story", "outlet", "source", "published", "title", "text", "language", "labels");
  private static final Set<String> LABELS =
      Set.of("military_exercise", "troop_dispatch", "parade", "diplomatic_tension");
  private static final Path EVENTS = DevSetTest.DIR.resolve("events");
  private static final List<JsonNode> ITEMS = new ArrayList<>();

  @BeforeAll
  static void read() throws IOException {
    final ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.list(EVENTS)) {
      for (final Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
        int number = 0;
        for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          number++;
          if (!line.isBlank()) {
            final JsonNode item = json.readTree(line);
            for (final String field : FIELDS) {
              assertThat(item.has(field)).as("%s line %d has '%s'", file.getFileName(), number, field).isTrue();
            }
            ITEMS.add(item);
          }
        }
      }
    }
  }

  @Test
  void theSetHoldsAtLeastThreeHundredExcerptsOfManyOutletsAndLanguages() {
    final Set<String> outlets = new HashSet<>();
    final Set<String> languages = new HashSet<>();
    ITEMS.forEach(i -> {
      outlets.add(i.path("outlet").asText());
      languages.add(i.path("language").asText());
    });

    assertThat(ITEMS).hasSizeGreaterThanOrEqualTo(300);
    assertThat(outlets).hasSizeGreaterThanOrEqualTo(200);
    assertThat(languages).hasSizeGreaterThanOrEqualTo(10);
  }

  @Test
  void everyExcerptIsCompleteDatedAndLabelledWithKnownCategories() {
    final Set<String> ids = new HashSet<>();
    for (final JsonNode item : ITEMS) {
      final String id = item.path("id").asText();
      assertThat(ids.add(id)).as("id %s is unique", id).isTrue();
      assertThat(item.path("text").asText()).as(id).isNotBlank();
      assertThat(item.path("source").asText()).as(id).matches("https?://\\S+");
      assertThat(item.path("language").asText()).as(id).matches("[a-z]{2}");
      assertThat(LocalDate.parse(item.path("published").asText())).as(id).isBetween(LocalDate.of(2015, 1, 1), LocalDate.of(2026, 12, 31));
      item.path("labels").forEach(l -> assertThat(LABELS).as(id).contains(l.asText()));
    }
  }

  @Test
  void everyEventIsToldByAtLeastThreeDifferentOutlets() {
    final Map<String, List<String>> outletsByStory = new LinkedHashMap<>();
    ITEMS.forEach(i -> outletsByStory.computeIfAbsent(i.path("story").asText(), k -> new ArrayList<>()).add(i.path("outlet").asText()));

    assertThat(outletsByStory).hasSizeGreaterThanOrEqualTo(50);
    outletsByStory.forEach((story, outlets) -> {
      assertThat(outlets).as(story).hasSizeGreaterThanOrEqualTo(3);
      assertThat(outlets).as("%s: one excerpt per outlet", story).doesNotHaveDuplicates();
    });
  }

  @Test
  void everyExcerptIsNamedInTheSources() throws IOException {
    final String sources = Files.readString(EVENTS.resolve("SOURCES.md"), StandardCharsets.UTF_8);

    for (final JsonNode item : ITEMS) {
      assertThat(sources).contains("- " + item.path("id").asText() + " | " + item.path("outlet").asText() + " | " + item.path("source").asText());
    }
  }
}
