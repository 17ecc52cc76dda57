package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.classifier.Classification;
import dev.outpost.classifier.Classifier;
import dev.outpost.cli.internal.DemoFeed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code outpost demo} end to end, on a real embedded broker and registry. */
class DemoIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SEED_TITLE =
      "China team-up with Russia, N. Korea fueling concern–Japanese report";

  @TempDir Path dataDir;

  /** Alerts per category the classifier gives the bundled samples, computed here, not copied. */
  private static Map<String, Integer> expectedAlerts() throws IOException {
    final Map<String, Integer> counts = new TreeMap<>();
    for (final Classification c : sampleClassifications()) {
      for (final var label : c.labels()) {
        counts.merge(label.label(), 1, Integer::sum);
      }
    }
    return counts;
  }

  /** The samples not read, per language, as the classifier judges them in their declared language. */
  private static Map<String, Integer> expectedUnread() throws IOException {
    final Map<String, Integer> counts = new TreeMap<>();
    for (final Classification c : sampleClassifications()) {
      if (!c.languageSupported()) {
        counts.merge(c.language(), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static List<Classification> sampleClassifications() throws IOException {
    final Classifier classifier = Classifier.withDefaultRules();
    final List<Classification> results = new ArrayList<>();
    for (final String line : resource(DemoFeed.FEED_SAMPLE).split("\n", -1)) {
      if (!line.isBlank()) {
        final JsonNode n = JSON.readTree(line);
        results.add(classifier.classify(n.get("title").asText(), n.get("body").asText(), n.path("language").asText(null)));
      }
    }
    final String seed = resource(DemoFeed.SEED_SAMPLE);
    results.add(classifier.classify(SEED_TITLE, seed.substring(seed.indexOf("\n\n") + 2), "en"));
    return results;
  }

  private static String resource(final String name) throws IOException {
    try (var in = DemoIT.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The category of every ALERT line, counted. */
  private static Map<String, Integer> printedAlerts(final String out) {
    final Map<String, Integer> counts = new TreeMap<>();
    final Matcher m = Pattern.compile("(?m)^ALERT (\\S+) +[01]\\.\\d\\d ").matcher(out);
    while (m.find()) {
      counts.merge(m.group(1), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void onceRunsTheWholePipelineOnTheSamplesPrintsEveryAlertAndASummaryTwiceOnTheSameData()
      throws IOException {
    final String[] args = {
      "demo", "--once", "--kafka-port", "0", "--registry-port", "0", "--ops-port", "0", "--data-dir", dataDir.toString()
    };
    final Map<String, Integer> expected = expectedAlerts();
    final Map<String, Integer> unread = expectedUnread();
    final String notRead =
        unread.isEmpty()
            ? "not read           0\n"
            : "not read           " + unread.values().stream().mapToInt(Integer::intValue).sum()
                + " (language not supported: "
                + String.join(", ", unread.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList())
                + ")\n";
    final int samples = (int) resource(DemoFeed.FEED_SAMPLE).lines().filter(l -> !l.isBlank()).count() + 1;

    final CliRunner.Result first = CliRunner.run(args);
    final CliRunner.Result second = CliRunner.run(args);

    for (final CliRunner.Result run : List.of(first, second)) {
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out())
          .contains("Kafka broker     127.0.0.1:")
          .contains("Schema registry  http://127.0.0.1:")
          .contains("Alert stream     http://127.0.0.1:");
      // Each run prints its own alerts, once each: the second run's samples are not repeats of the first's.
      assertThat(printedAlerts(run.out())).as(run.out()).isEqualTo(expected);
      assertThat(run.out())
          .contains(String.format("items classified   %d%n", samples))
          .contains(String.format("duplicates dropped 1%n"))
          .contains(notRead.replace("\n", System.lineSeparator()))
          .contains("dead letters       4 (wrong_magic_byte 1, unknown_schema_id 1, truncated_body 1, title_too_large 1)")
          .contains("seed article       4 alerts [military_exercise, troop_dispatch, parade, diplomatic_tension]")
          .contains(String.format("alerts             %d%n", expected.values().stream().mapToInt(Integer::intValue).sum()));
      assertThat(run.err()).doesNotContain("Exception");
    }
  }

  /**
   * Without {@code --once} the demo runs until it is told to stop; SIGTERM (what Ctrl-C's SIGINT
   * also triggers: the JVM's shutdown hooks) stops the stack cleanly and the process exits.
   */
  @Test
  void runsUntilSignalledThenStopsTheStackAndExits() throws Exception {
    final OutpostProcess demo =
        OutpostProcess.start(
            "demo", "--kafka-port", "0", "--registry-port", "0", "--ops-port", "0", "--data-dir", dataDir.toString());
    final List<String> lines = demo.lines();
    try {
      demo.awaitLine("Press Ctrl-C to stop", Duration.ofSeconds(90));
      assertThat(demo.isAlive()).as(String.join("\n", lines)).isTrue();

      assertThat(demo.terminate()).as("exited after SIGTERM").isTrue();
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("Stopping the pipeline and the embedded stack"));
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("Embedded Kafka cluster").contains("closed in"));
      assertThat(lines).noneSatisfy(l -> assertThat(l).contains("Exception"));
    } finally {
      demo.close();
    }
  }
}
