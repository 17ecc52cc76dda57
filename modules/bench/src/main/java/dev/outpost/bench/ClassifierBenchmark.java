package dev.outpost.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.classifier.Classification;
import dev.outpost.classifier.Classifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Items per second the classifier handles on one thread, on realistic 1–3 KB news items built
 * from the development set's real excerpts. {@link #baselineLowercaseSplit} does the least any
 * text pipeline does to the same items (lower-case and split on spaces), measured in the same
 * run, so the classifier's cost can be read as a ratio on a noisy machine.
 *
 * <p>Run from the repository root: {@code java -jar modules/bench/target/benchmarks.jar}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class ClassifierBenchmark {

  /** The labelled set the items are assembled from. */
  @Param({"modules/classifier/devset/tune.jsonl"})
  public String devset;

  private Classifier classifier;
  private List<String[]> items;
  private int next;

  /** Builds items of 1 to 3 KB by joining consecutive real excerpts under the first one's title. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    classifier = Classifier.withDefaultRules();
    final ObjectMapper json = new ObjectMapper();
    final List<String> lines = Files.readAllLines(Path.of(devset), StandardCharsets.UTF_8);
    items = new ArrayList<>();
    String title = null;
    StringBuilder body = new StringBuilder();
    int target = 1024;
    for (final String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      final JsonNode node = json.readTree(line);
      if (title == null) {
        title = node.path("title").asText("");
      }
      body.append(node.path("text").asText("")).append("\n\n");
      if (body.length() >= target) {
        items.add(new String[] {title, body.toString()});
        title = null;
        body = new StringBuilder();
        target = 1024 + (items.size() % 3) * 1024;
      }
    }
    if (items.isEmpty()) {
      throw new IllegalStateException("No items could be built from " + devset);
    }
  }

  private String[] nextItem() {
    final String[] item = items.get(next);
    next = next + 1 == items.size() ? 0 : next + 1;
    return item;
  }

  /**
   * @return the classification of the next item
   */
  @Benchmark
  public Classification classify() {
    final String[] item = nextItem();
    return classifier.classify(item[0], item[1]);
  }

  /**
   * @return the tokens of the next item, the cheapest text handling there is
   */
  @Benchmark
  public String[] baselineLowercaseSplit() {
    final String[] item = nextItem();
    return (item[0] + " " + item[1]).toLowerCase(Locale.ROOT).split(" ");
  }
}
