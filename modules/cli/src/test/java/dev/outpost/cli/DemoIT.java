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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code outpost demo} end to end, on a real embedded broker and registry. */
class DemoIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SEED_TITLE =
      "China team-up with Russia, N. Korea fueling concern–Japanese report";

  /**
   * The samples that are one event reported by several outlets (samples/README.md): Algeria's
   * expulsion of 15 French officials and France's reply, May 2025.
   */
  private static final List<String> SAME_EVENT = List.of("sample-0036", "sample-0037", "sample-0038", "sample-0039");

  /** An ALERT as the demo prints it: its first two lines. */
  private static final Pattern ALERT =
      Pattern.compile(
          "(?m)^ALERT (\\S+) +[01]\\.\\d\\d  .*\\R +item (\\S+)  actors (.+?)"
              + "(?:  story (\\S+) \u00b7 (\\d+) reports? from (\\d+) sources?)?$");

  /** A surge line of the summary. */
  private static final Pattern SURGE =
      Pattern.compile("(?m)^    ([A-Z]{3}) (\\S+)  (\\d+) stor(?:y|ies) in 7 days, baseline (\\d+\\.\\d) per 7 days$");

  /**
   * One printed alert.
   *
   * @param category its category
   * @param item its item id, without the run's tag
   * @param actors the states it names
   * @param story the start of its story's id
   * @param storyItems the story's reports once it joined
   * @param storySources the story's sources once it joined
   */
  private record Printed(String category, String item, List<String> actors, String story, int storyItems, int storySources) {}

  private static List<Printed> printed(final String out) {
    final List<Printed> alerts = new ArrayList<>();
    final Matcher m = ALERT.matcher(out);
    while (m.find()) {
      assertThat(m.group(4)).as("every alert joins a story: %s", m.group()).isNotNull();
      alerts.add(
          new Printed(
              m.group(1),
              m.group(2).substring(0, m.group(2).lastIndexOf('.')),
              m.group(3).equals("-") ? List.of() : List.of(m.group(3).split(", ")),
              m.group(4),
              Integer.parseInt(m.group(5)),
              Integer.parseInt(m.group(6))));
    }
    return alerts;
  }

  /** The bundled excerpts, by id, as JSON. */
  private static Map<String, JsonNode> samples() throws IOException {
    final Map<String, JsonNode> samples = new LinkedHashMap<>();
    for (final String line : resource(DemoFeed.FEED_SAMPLE).split("\n", -1)) {
      if (!line.isBlank()) {
        final JsonNode n = JSON.readTree(line);
        samples.put(n.get("id").asText(), n);
      }
    }
    return samples;
  }

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

    final Map<String, JsonNode> feed = samples();
    final Set<String> sameEventSources = new TreeSet<>();
    final Set<String> sameEventTitles = new TreeSet<>();
    for (final String id : SAME_EVENT) {
      sameEventSources.add(feed.get(id).get("source").asText());
      sameEventTitles.add(feed.get(id).get("title").asText());
    }

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

    // Stories: as many as the stories the printed alerts joined; new, those an alert started.
    final String[] sameEventStory = new String[2];
    final List<CliRunner.Result> runs = List.of(first, second);
    for (int r = 0; r < runs.size(); r++) {
      final String out = runs.get(r).out();
      final List<Printed> alerts = printed(out);
      assertThat(alerts).as(out).hasSize(expected.values().stream().mapToInt(Integer::intValue).sum());
      final Set<String> stories = new LinkedHashSet<>();
      final Set<String> started = new LinkedHashSet<>();
      for (final Printed a : alerts) {
        stories.add(a.story());
        if (a.storyItems() == 1) {
          started.add(a.story());
        }
      }
      assertThat(out).as(out).contains(String.format("stories            %d (%d new)%n", stories.size(), started.size()));
      if (r == 0) {
        // A fresh data dir: every story is this run's own.
        assertThat(started).isEqualTo(stories);
      }

      // The same event, from every outlet and in both languages, is one story.
      final List<Printed> event = alerts.stream().filter(a -> SAME_EVENT.contains(a.item())).toList();
      assertThat(event).as(out).hasSize(SAME_EVENT.size()).allSatisfy(a -> assertThat(a.category()).isEqualTo("diplomatic_tension"));
      assertThat(event.stream().map(Printed::story).distinct()).as(out).hasSize(1);
      sameEventStory[r] = event.get(0).story();
      final int reports = event.stream().mapToInt(Printed::storyItems).max().orElseThrow();
      // The second run's reports join the first run's story, still open: the same outlets, days apart at most.
      assertThat(reports).isEqualTo(SAME_EVENT.size() * (r + 1));
      assertThat(event.stream().mapToInt(Printed::storySources).max().orElseThrow()).isEqualTo(sameEventSources.size());
      final Set<String> states = new TreeSet<>();
      event.forEach(a -> states.addAll(a.actors()));
      assertThat(states).isNotEmpty();
      final Matcher line =
          Pattern.compile(
                  "(?m)^    "
                      + reports
                      + " reports from "
                      + sameEventSources.size()
                      + " sources  diplomatic_tension  "
                      + Pattern.quote(String.join(", ", states))
                      + "  \"(.+)\"$")
              .matcher(out);
      assertThat(line.find()).as(out).isTrue();
      assertThat(sameEventTitles).contains(line.group(1));

      // Surges: at least one, each a state and category of distinct stories of this run.
      final Matcher count = Pattern.compile("(?m)^  surges             (\\d+) \\((\\d+) new\\)$").matcher(out);
      assertThat(count.find()).as(out).isTrue();
      final List<String[]> surges = new ArrayList<>();
      final Matcher m = SURGE.matcher(out);
      while (m.find()) {
        surges.add(new String[] {m.group(1), m.group(2), m.group(3), m.group(4)});
      }
      assertThat(surges).as(out).isNotEmpty().hasSize(Integer.parseInt(count.group(1)));
      for (final String[] surge : surges) {
        final long storiesOfState =
            alerts.stream()
                .filter(a -> a.category().equals(surge[1]) && a.actors().contains(surge[0]))
                .map(Printed::story)
                .distinct()
                .count();
        // With nothing before the demo, a state needs 2 stories of one category in the week.
        assertThat(Integer.parseInt(surge[2])).as(out).isGreaterThanOrEqualTo(2);
        if (r == 0) {
          assertThat(surge[3]).isEqualTo("0.0");
          assertThat(storiesOfState).as("%s %s in %s", surge[0], surge[1], out).isGreaterThanOrEqualTo(Integer.parseInt(surge[2]));
        }
      }
      if (r == 0) {
        assertThat(Integer.parseInt(count.group(2))).isEqualTo(surges.size());
      }
    }
    assertThat(sameEventStory[1]).isEqualTo(sameEventStory[0]);
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
