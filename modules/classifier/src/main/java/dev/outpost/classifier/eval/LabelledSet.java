package dev.outpost.classifier.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.classifier.Category;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a labelled set: JSON Lines with {@code id}, {@code title}, {@code text} (or {@code body}),
 * {@code labels} (snake_case category names) and optionally {@code source}, {@code language} (a
 * BCP 47 tag the classifier honours) and {@code feed} or, failing that, {@code outlet}.
 */
public final class LabelledSet {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LabelledSet() {}

  /**
   * @param name the file's name, for messages
   * @param content the JSON Lines
   * @return the items
   * @throws IllegalArgumentException naming the line and what is wrong with it
   */
  public static List<LabelledItem> parse(final String name, final String content) {
    final List<LabelledItem> items = new ArrayList<>();
    final Set<String> ids = new HashSet<>();
    final String[] lines = content.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      final String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      final String where = name + ":" + (i + 1);
      final JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (final JsonProcessingException e) {
        throw new IllegalArgumentException(where + ": not a JSON object: " + e.getOriginalMessage(), e);
      }
      final String id = node.path("id").asText("");
      if (id.isBlank()) {
        throw new IllegalArgumentException(where + ": missing field 'id'");
      }
      if (!ids.add(id)) {
        throw new IllegalArgumentException(where + ": id '" + id + "' appears twice");
      }
      final JsonNode labels = node.get("labels");
      if (labels == null || !labels.isArray()) {
        throw new IllegalArgumentException(where + ": 'labels' must be an array of category names");
      }
      final Set<Category> categories = EnumSet.noneOf(Category.class);
      for (final JsonNode label : labels) {
        categories.add(
            Category.fromLabel(label.asText())
                .orElseThrow(() -> new IllegalArgumentException(where + ": unknown label '" + label.asText() + "'")));
      }
      final String text = node.has("text") ? node.path("text").asText("") : node.path("body").asText("");
      final String feed = node.path("feed").asText("").isBlank() ? node.path("outlet").asText("") : node.path("feed").asText("");
      items.add(
          new LabelledItem(
              id, node.path("source").asText(""), node.path("title").asText(""), text, categories,
              node.path("language").asText("und"), feed));
    }
    return items;
  }
}
