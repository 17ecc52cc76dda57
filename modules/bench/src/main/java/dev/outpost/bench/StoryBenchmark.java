package dev.outpost.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.classifier.Category;
import dev.outpost.classifier.Classification;
import dev.outpost.classifier.Classifier;
import dev.outpost.classifier.story.StoryBook;
import dev.outpost.classifier.story.StoryCandidate;
import dev.outpost.classifier.story.StoryRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * Alerts per second the story step's own work handles on one thread: putting an alert into a
 * story ({@link StoryBook#add}) and, as the story processor does next for every alert, encoding
 * the story for its state store. The alerts are those the classifier makes of the items {@code
 * outpost bench} publishes (a real title over 1–3 KB of the CLI's bundled real excerpts, cycling),
 * {@link #stepMillis} apart in event time.
 * Kafka's part (the repartition, the changelog, the stories topic) is not in it: {@code outpost
 * bench} measures the whole.
 *
 * <p>Run from the repository root: {@code java -jar modules/bench/target/benchmarks.jar Story}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class StoryBenchmark {

  /** The excerpts the items are assembled from, one JSON object a line with a title and a body. */
  @Param({"modules/cli/src/main/resources/samples/sample-feed.jsonl"})
  public String excerpts;

  /**
   * Event time from one alert to the next. 1 ms: a few stories gather every alert, as in {@code
   * outpost bench}. 15 minutes: the items come round again every few days, past the join gap, so
   * each round starts new stories and the quiet period (30 days) keeps a month of them open, as a
   * replay of history does.
   */
  @Param({"1", "900000"})
  public long stepMillis;

  private List<StoryCandidate> alerts;
  private StoryBook book;
  private int next;
  private long count;
  private long eventTime;
  private long lastQuietCheck;

  /** How often, in stream time, the story processor closes quiet stories. */
  private static final long QUIET_CHECK_EVERY = 600_000;

  /** Classifies one period of the items and keeps an alert per label. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    final ObjectMapper json = new ObjectMapper();
    final List<String[]> pairs = new ArrayList<>();
    for (final String line : Files.readAllLines(Path.of(excerpts), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        final JsonNode n = json.readTree(line);
        pairs.add(new String[] {n.path("title").asText(), n.path("body").asText()});
      }
    }
    final Classifier classifier = Classifier.withDefaultRules();
    alerts = new ArrayList<>();
    // As BenchmarkItems assembles them: the text repeats after this many items.
    final int period = pairs.size() % 3 == 0 ? pairs.size() : pairs.size() * 3;
    for (int n = 0; n < period; n++) {
      final String[] head = pairs.get(n % pairs.size());
      final StringBuilder body = new StringBuilder(head[1]);
      for (int k = 1; body.length() < 1024 + (n % 3) * 1024; k++) {
        body.append("\n\n").append(pairs.get((n + 7 * k) % pairs.size())[1]);
      }
      final Classification c = classifier.classify(head[0], body.toString());
      for (final Category category : c.labels()) {
        alerts.add(StoryCandidate.of("bench-" + n, category, c, 0, "outpost-bench", head[0], body.toString(), null));
      }
    }
    if (alerts.isEmpty()) {
      throw new IllegalStateException("The classifier labelled none of the items built from " + excerpts);
    }
    book = new StoryBook(StoryRules.defaults());
    eventTime = 1_700_000_000_000L;
    lastQuietCheck = eventTime;
  }

  private StoryCandidate nextAlert() {
    final StoryCandidate a = alerts.get(next);
    next = next + 1 == alerts.size() ? 0 : next + 1;
    eventTime += stepMillis;
    // As the story processor's punctuation does every 10 minutes of stream time.
    if (eventTime - lastQuietCheck >= QUIET_CHECK_EVERY) {
      book.closeQuiet(eventTime);
      lastQuietCheck = eventTime;
    }
    // A new item each time, as in the pipeline: story ids come from the first item's id.
    return new StoryCandidate(
        "bench-" + count++, a.category(), a.states(), eventTime, a.source(), a.title(), a.lead(), a.url(), a.language(), a.evidence());
  }

  /**
   * @return the story the next alert joined or started
   */
  @Benchmark
  public StoryBook.Joined add() {
    return book.add(nextAlert());
  }

  /**
   * @return the next alert's story, encoded for the state store as the story processor does
   */
  @Benchmark
  public byte[] addAndEncode() {
    return book.add(nextAlert()).story().toBytes();
  }
}
