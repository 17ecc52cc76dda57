package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The engine reuses each thread's token and match buffers from item to item: one classifier
 * shared by several threads, each going through the items in its own order, must say of every
 * item what a single thread says, including of an item too long for the reused buffers.
 */
class ConcurrentClassifyTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int THREADS = 4;

  @Test
  void threadsSharingOneClassifierSayWhatOneThreadSays() throws Exception {
    // given
    final Classifier classifier = Classifier.withDefaultRules();
    final List<String[]> items = items();
    final List<String> expected = new ArrayList<>();
    for (final String[] item : items) {
      expected.add(verdict(classifier, item));
    }

    // when
    final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    final List<Future<String[]>> runs = new ArrayList<>();
    try {
      for (int t = 0; t < THREADS; t++) {
        final int offset = t * items.size() / THREADS;
        runs.add(
            pool.submit(
                () -> {
                  final String[] out = new String[items.size()];
                  for (int k = 0; k < items.size(); k++) {
                    final int i = (offset + k) % items.size();
                    out[i] = verdict(classifier, items.get(i));
                  }
                  return out;
                }));
      }
      // then
      for (final Future<String[]> run : runs) {
        final String[] actual = run.get(2, TimeUnit.MINUTES);
        for (int i = 0; i < items.size(); i++) {
          assertThat(actual[i]).as("item %d", i).isEqualTo(expected.get(i));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String verdict(final Classifier classifier, final String[] item) throws IOException {
    return JSON.writeValueAsString(ClassificationJson.toJson("item", classifier.classify(item[0], item[1], item[2])));
  }

  /** The English, French and Arabic development items, and a long body made of many of them. */
  private static List<String[]> items() throws IOException {
    final List<String[]> items = new ArrayList<>();
    for (final String file : List.of("devset/tune.jsonl", "devset/lang/fr.tune.jsonl", "devset/lang/ar.tune.jsonl")) {
      final Path path = Path.of(file);
      for (final String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          final JsonNode item = JSON.readTree(line);
          final String body = item.has("text") ? item.get("text").asText() : item.path("body").asText("");
          items.add(new String[] {item.path("title").asText(""), body, item.path("language").asText(null)});
        }
      }
    }
    final StringBuilder longBody = new StringBuilder();
    for (int i = 0; longBody.length() <= 70_000; i++) {
      longBody.append(items.get(i % items.size())[1]).append("\n\n");
    }
    items.add(items.size() / 2, new String[] {items.get(0)[0], longBody.toString(), null});
    assertThat(items).as("items to classify").hasSizeGreaterThan(100);
    return items;
  }
}
