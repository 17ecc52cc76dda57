package dev.outpost.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.model.NewsItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Realistic news items for the integration tests: the development set's real excerpts. */
final class Items {

  private static final Path DEVSET = Path.of("../classifier/devset/tune.jsonl");

  private Items() {}

  /**
   * @param prefix item id prefix
   * @param count how many; excerpts repeat under new ids when more are asked than there are
   * @param publishedAt the publication time of every item
   * @return the items
   */
  static List<NewsItem> fromDevSet(final String prefix, final int count, final Instant publishedAt) {
    final List<JsonNode> excerpts = new ArrayList<>();
    final ObjectMapper json = new ObjectMapper();
    try {
      for (final String line : Files.readAllLines(DEVSET, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          excerpts.add(json.readTree(line));
        }
      }
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
    final List<NewsItem> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      final JsonNode e = excerpts.get(i % excerpts.size());
      items.add(
          NewsItem.newBuilder()
              .setId(prefix + "-" + i)
              .setSource(e.path("outlet").asText("devset"))
              .setUrl(e.path("source").asText(null))
              .setTitle(e.path("title").asText(""))
              .setBody(e.path("text").asText(""))
              .setPublishedAt(publishedAt)
              .setIngestedAt(publishedAt)
              .build());
    }
    return items;
  }
}
