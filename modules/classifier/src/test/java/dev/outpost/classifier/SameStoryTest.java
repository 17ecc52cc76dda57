package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One event told by several outlets gets one set of labels: the same-story set
 * ({@code devset/stories.jsonl}) groups real excerpts of one event from at least three publishers.
 * The bars: at least 85% of the stories get one set of labels from all their outlets, and at least
 * 95% of the excerpts get the event's true labels; the ones that do not are named.
 */
class SameStoryTest {

  private static final Map<String, List<JsonNode>> STORIES = new LinkedHashMap<>();
  private static final Classifier CLASSIFIER = Classifier.withDefaultRules();

  @BeforeAll
  static void read() throws IOException {
    final ObjectMapper json = new ObjectMapper();
    for (final String line : Files.readAllLines(DevSetTest.DIR.resolve("stories.jsonl"), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        final JsonNode item = json.readTree(line);
        STORIES.computeIfAbsent(item.path("story").asText(), k -> new ArrayList<>()).add(item);
      }
    }
  }

  private static Set<Category> labels(final JsonNode item) {
    final Set<Category> labels = EnumSet.noneOf(Category.class);
    labels.addAll(CLASSIFIER.classify(item.path("title").asText(), item.path("text").asText(), item.path("language").asText(null)).labels());
    return labels;
  }

  @Test
  void everyStoryIsToldByAtLeastThreeOutletsWithOneSetOfTrueLabels() {
    assertThat(STORIES).hasSizeGreaterThanOrEqualTo(15);
    STORIES.forEach(
        (story, items) -> {
          final Set<String> outlets = new HashSet<>();
          final Set<String> gold = new HashSet<>();
          items.forEach(i -> {
            outlets.add(i.path("outlet").asText());
            gold.add(i.path("labels").toString());
          });
          assertThat(outlets).as(story).hasSizeGreaterThanOrEqualTo(3);
          assertThat(gold).as(story).hasSize(1);
        });
  }

  @Test
  void eachStoryGetsTheSameLabelsFromEveryOutlet() {
    final List<String> split = new ArrayList<>();
    STORIES.forEach(
        (story, items) -> {
          final Map<String, Set<Category>> byItem = new LinkedHashMap<>();
          items.forEach(i -> byItem.put(i.path("id").asText(), labels(i)));
          if (new HashSet<>(byItem.values()).size() > 1) {
            split.add(story + " " + byItem);
          }
        });
    assertThat(1.0 - (double) split.size() / STORIES.size())
        .as("share of stories told alike; told differently: %s", split)
        .isGreaterThanOrEqualTo(0.85);
  }

  @Test
  void theLabelsAreTheTrueOnes() {
    final Set<String> wrong = new TreeSet<>();
    final int[] total = {0};
    STORIES.values().forEach(items -> items.forEach(i -> {
      total[0]++;
      final Set<String> expected = new TreeSet<>();
      i.path("labels").forEach(l -> expected.add(l.asText()));
      final Set<String> got = new TreeSet<>();
      labels(i).forEach(c -> got.add(c.label()));
      if (!expected.equals(got)) {
        wrong.add(i.path("id").asText() + " expected " + expected + " got " + got);
      }
    }));
    assertThat(total[0]).isPositive();
    assertThat(1.0 - (double) wrong.size() / total[0])
        .as("share of excerpts given the event's labels; otherwise: %s", wrong)
        .isGreaterThanOrEqualTo(0.95);
  }
}
