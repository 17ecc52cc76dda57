package dev.outpost.classifier.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.classifier.Category;
import dev.outpost.classifier.Classification;
import dev.outpost.classifier.Classifier;
import dev.outpost.classifier.story.StoryBook;
import dev.outpost.classifier.story.StoryCandidate;
import dev.outpost.classifier.story.StoryRules;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Scores story matching on the story development set: real excerpts grouped by the event they
 * report ({@code story}), with a split of events into parts ({@code split.tsv}: story, family,
 * part) so that events easily confused with each other (the same exercise in another year, the
 * same two states in another row) fall on the same side.
 *
 * <p>Each item goes through the classifier as in the pipeline; each label it gets is one alert,
 * timed by the item's publication date; the alerts go through a {@link StoryBook} in event-time
 * order (then by id). The score is pairwise: of the pairs of alerts of one category put in one
 * story, the share that report the same event (precision), and of the pairs that report the same
 * event, the share put in one story (recall). Items the classifier gives no label to make no
 * alert and no pair: that is the classifier's recall, scored by {@code eval}.
 */
public final class StoryEvaluation {

  /**
   * The scores of one part.
   *
   * @param part the part's name, and "at once" for the second scoring
   * @param items items in it
   * @param alerts alerts they made
   * @param stories stories the alerts were put in
   * @param events distinct events among the alerts
   * @param goldPairs pairs of alerts that report the same event
   * @param predictedPairs pairs of alerts put in one story
   * @param truePairs pairs in both
   */
  public record Score(
      String part, int items, int alerts, int stories, int events, long goldPairs, long predictedPairs, long truePairs) {

    /** @return pairwise precision; 1 when no pair was predicted */
    public double precision() {
      return predictedPairs == 0 ? 1.0 : truePairs / (double) predictedPairs;
    }

    /** @return pairwise recall; 1 when there is no pair to find */
    public double recall() {
      return goldPairs == 0 ? 1.0 : truePairs / (double) goldPairs;
    }
  }

  private record Row(
      String id,
      String story,
      String family,
      String part,
      long eventTime,
      String title,
      String text,
      String language,
      String source,
      String url,
      Set<String> labels) {
    Row at(final long time) {
      return new Row(id, story, family, part, time, title, text, language, source, url, labels);
    }
  }

  private record Unit(String story, String category, String storyId) {}

  private StoryEvaluation() {}

  /**
   * @param dir a directory of {@code *.jsonl} event files and a {@code split.tsv}
   * @param classifier the classifier
   * @param rules the story rules
   * @return one score per part (tune, then holdout), then one per part with its families at once,
   *     then one per part on its true alerts only
   * @throws IOException when a file cannot be read
   * @throws IllegalArgumentException naming the file and line of a malformed record
   */
  public static List<Score> score(final Path dir, final Classifier classifier, final StoryRules rules) throws IOException {
    final Map<String, String[]> split = split(dir.resolve("split.tsv"));
    final List<Row> rows = rows(dir, split);
    final Map<String, String> parts = new TreeMap<>();
    split.forEach((story, fp) -> parts.put(story, fp[1]));
    final Map<String, List<Row>> byPart = new LinkedHashMap<>();
    parts.values().stream().distinct().sorted(Comparator.reverseOrder()).forEach(p -> byPart.put(p, new ArrayList<>()));
    rows.forEach(r -> byPart.get(r.part()).add(r));
    final List<Score> scores = new ArrayList<>();
    for (final Map.Entry<String, List<Row>> part : byPart.entrySet()) {
      scores.add(scorePart(part.getKey(), part.getValue(), classifier, rules, false));
    }
    for (final Map.Entry<String, List<Row>> part : byPart.entrySet()) {
      scores.add(scorePart(part.getKey() + " at once", atOnce(part.getValue()), classifier, rules, false));
    }
    for (final Map.Entry<String, List<Row>> part : byPart.entrySet()) {
      scores.add(scorePart(part.getKey() + " true alerts", part.getValue(), classifier, rules, true));
    }
    return scores;
  }

  /**
   * @param scores what {@link #score} gave
   * @param out where to print them, one line per part
   */
  public static void print(final List<Score> scores, final PrintWriter out) {
    out.printf(Locale.ROOT, "%-20s %6s %6s %7s %6s %10s %10s %9s %6s%n", "part", "items", "alerts", "stories", "events", "same-event", "same-story", "precision", "recall");
    for (final Score s : scores) {
      out.printf(
          Locale.ROOT,
          "%-20s %6d %6d %7d %6d %10d %10d %9.3f %6.3f%n",
          s.part(), s.items(), s.alerts(), s.stories(), s.events(), s.goldPairs(), s.predictedPairs(), s.precision(), s.recall());
    }
    out.flush();
  }

  /** Moves every family to start on one day, keeping the spacing of its own items. */
  private static List<Row> atOnce(final List<Row> rows) {
    final Map<String, Long> firstOfFamily = new HashMap<>();
    rows.forEach(r -> firstOfFamily.merge(r.family(), r.eventTime(), Math::min));
    final long day = LocalDate.of(2030, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    return rows.stream().map(r -> r.at(day + r.eventTime() - firstOfFamily.get(r.family()))).toList();
  }

  private static Score scorePart(
      final String part, final List<Row> rows, final Classifier classifier, final StoryRules rules, final boolean trueAlertsOnly) {
    final List<Row> ordered = new ArrayList<>(rows);
    ordered.sort(Comparator.comparingLong(Row::eventTime).thenComparing(Row::id));
    final StoryBook book = new StoryBook(rules);
    final List<Unit> units = new ArrayList<>();
    for (final Row row : ordered) {
      final Classification c = classifier.classify(row.title(), row.text(), row.language());
      for (final Category category : c.labels()) {
        if (trueAlertsOnly && !row.labels().contains(category.label())) {
          continue;
        }
        final StoryCandidate alert =
            StoryCandidate.of(row.id(), category, c, row.eventTime(), row.source(), row.title(), row.text(), row.url());
        units.add(new Unit(row.story(), category.name(), book.add(alert).story().id()));
      }
    }
    long gold = 0;
    long predicted = 0;
    long both = 0;
    for (int i = 0; i < units.size(); i++) {
      for (int j = i + 1; j < units.size(); j++) {
        final Unit a = units.get(i);
        final Unit b = units.get(j);
        if (!a.category().equals(b.category())) {
          continue;
        }
        final boolean sameEvent = a.story().equals(b.story());
        final boolean sameStory = a.storyId().equals(b.storyId());
        gold += sameEvent ? 1 : 0;
        predicted += sameStory ? 1 : 0;
        both += sameEvent && sameStory ? 1 : 0;
      }
    }
    final int stories = (int) units.stream().map(Unit::storyId).distinct().count();
    final int events = (int) units.stream().map(u -> u.story() + "|" + u.category()).distinct().count();
    return new Score(part, rows.size(), units.size(), stories, events, gold, predicted, both);
  }

  private static Map<String, String[]> split(final Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("No split file '" + file + "': it names each story's part (story, family, part)");
    }
    final Map<String, String[]> parts = new TreeMap<>();
    int n = 0;
    for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      final String[] f = line.split("\t", -1);
      if (f.length != 3 || f[0].isBlank() || f[2].isBlank()) {
        throw new IllegalArgumentException(file + ":" + n + ": expected 'story<TAB>family<TAB>part'");
      }
      parts.put(f[0], new String[] {f[1], f[2]});
    }
    return parts;
  }

  private static List<Row> rows(final Path dir, final Map<String, String[]> parts) throws IOException {
    final ObjectMapper json = new ObjectMapper();
    final List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("No *.jsonl files in '" + dir + "'");
    }
    final List<Row> rows = new ArrayList<>();
    final Map<String, String> seen = new HashMap<>();
    for (final Path file : files) {
      int n = 0;
      for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        final String where = file.getFileName() + ":" + n;
        final JsonNode node;
        try {
          node = json.readTree(line);
        } catch (final IOException e) {
          throw new IllegalArgumentException(where + ": not JSON: " + e.getMessage(), e);
        }
        final String id = required(node, "id", where);
        final String story = required(node, "story", where);
        final String[] familyPart = parts.get(story);
        if (familyPart == null) {
          throw new IllegalArgumentException(where + ": story '" + story + "' is not in split.tsv");
        }
        if (seen.put(id, where) != null) {
          throw new IllegalArgumentException(where + ": id '" + id + "' also at " + seen.get(id));
        }
        final String date = node.path("published").asText("").isBlank() ? node.path("date_from").asText("") : node.path("published").asText();
        if (date.length() < 10) {
          throw new IllegalArgumentException(where + ": needs a 'published' date (yyyy-mm-dd)");
        }
        final long eventTime = LocalDate.parse(date.substring(0, 10)).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        rows.add(
            new Row(
                id,
                story,
                familyPart[0],
                familyPart[1],
                eventTime,
                node.path("title").asText(""),
                node.path("text").asText(""),
                node.path("language").asText(""),
                node.path("outlet").asText(""),
                node.path("source").asText(null),
                labels(node, where)));
      }
    }
    return rows;
  }

  private static Set<String> labels(final JsonNode node, final String where) {
    final JsonNode labels = node.get("labels");
    if (labels == null || !labels.isArray()) {
      throw new IllegalArgumentException(where + ": needs 'labels', the categories the item reports (an array, empty for none)");
    }
    final Set<String> out = new HashSet<>();
    for (final JsonNode label : labels) {
      if (Category.fromLabel(label.asText()).isEmpty()) {
        throw new IllegalArgumentException(where + ": unknown label '" + label.asText() + "'");
      }
      out.add(label.asText());
    }
    return out;
  }

  private static String required(final JsonNode node, final String field, final String where) {
    final String value = node.path(field).asText("");
    if (value.isBlank()) {
      throw new IllegalArgumentException(where + ": missing '" + field + "'");
    }
    return value;
  }
}
