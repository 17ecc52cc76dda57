package dev.outpost.classifier.story;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.classifier.Category;
import dev.outpost.classifier.CategoryResult;
import dev.outpost.classifier.Classification;
import dev.outpost.classifier.Classifier;
import dev.outpost.classifier.Evidence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The story book passes over stories too far from an alert for states or text to join it. This
 * holds it to the book that scores every story its indexes find, alert by alert, on the alerts
 * the classifier makes of the development sets' items, spread over months as a replay of history
 * spreads them.
 */
class StoryBookWindowTest {

  private static final long T0 = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
  private static final long DAY = Duration.ofDays(1).toMillis();

  /** The alerts of the labelled and the feed development sets, in file order, times unset. */
  private static final List<StoryCandidate> ALERTS = new ArrayList<>();

  @BeforeAll
  static void classify() throws IOException {
    final ObjectMapper json = new ObjectMapper();
    final Classifier classifier = Classifier.withDefaultRules();
    for (final Path set : List.of(Path.of("devset/tune.jsonl"), Path.of("devset/stream/tune.jsonl"))) {
      for (final String line : Files.readAllLines(set, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        final JsonNode item = json.readTree(line);
        final String title = item.path("title").asText("");
        final String text = item.path("text").asText("");
        final String language = item.path("language").asText("en");
        final Classification result = classifier.classify(title, text, language);
        for (final Category category : result.labels()) {
          final CategoryResult r = result.result(category);
          final List<StoryCandidate.Span> spans = new ArrayList<>();
          for (final Evidence e : r.evidence()) {
            spans.add(new StoryCandidate.Span(e.field(), e.start(), e.end(), e.text(), e.ruleId(), e.states(), e.targets()));
          }
          ALERTS.add(
              new StoryCandidate(
                  item.path("id").asText(),
                  category.name(),
                  new LinkedHashSet<>(result.actors()),
                  0,
                  item.path("outlet").asText(""),
                  title,
                  text,
                  null,
                  language,
                  spans));
        }
      }
    }
  }

  private static StoryCandidate at(final StoryCandidate a, final String id, final long time) {
    return new StoryCandidate(id, a.category(), a.states(), time, a.source(), a.title(), a.lead(), a.url(), a.language(), a.evidence());
  }

  /**
   * Replays the alerts {@code rounds} times over {@code days}, each at a random time, in an order
   * that is mostly but not wholly by time (a day's items arrive out of order), through both books.
   */
  private static long replayThroughBoth(final long seed, final int rounds, final int days, final StoryRules rules) {
    final Random random = new Random(seed);
    final List<StoryCandidate> stream = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < ALERTS.size(); i++) {
        final long time = T0 + (long) (random.nextDouble() * days * DAY);
        stream.add(at(ALERTS.get(i), ALERTS.get(i).itemId() + "#" + round, time));
      }
    }
    // Sorted by time to the hour, shuffled within it.
    stream.sort((x, y) -> Long.compare(x.eventTime() / (DAY / 24), y.eventTime() / (DAY / 24)));
    for (int i = stream.size() - 1; i > 0; i--) {
      final int j = i - random.nextInt(Math.min(i, 20) + 1);
      if (stream.get(i).eventTime() / DAY == stream.get(j).eventTime() / DAY) {
        final StoryCandidate x = stream.get(i);
        stream.set(i, stream.get(j));
        stream.set(j, x);
      }
    }
    final StoryBook skipping = new StoryBook(rules, true);
    final StoryBook scoringAll = new StoryBook(rules, false);
    long maxStreamTime = Long.MIN_VALUE;
    for (final StoryCandidate alert : stream) {
      final StoryBook.Joined a = skipping.add(alert);
      final StoryBook.Joined b = scoringAll.add(alert);
      assertThat(a.story().id()).as("the story %s joins", alert.itemId()).isEqualTo(b.story().id());
      assertThat(a.started()).as("whether %s starts a story", alert.itemId()).isEqualTo(b.started());
      assertThat(a.closed().stream().map(OpenStory::id).toList()).isEqualTo(b.closed().stream().map(OpenStory::id).toList());
      maxStreamTime = Math.max(maxStreamTime, alert.eventTime());
      assertThat(skipping.closeQuiet(maxStreamTime).stream().map(OpenStory::id).toList())
          .isEqualTo(scoringAll.closeQuiet(maxStreamTime).stream().map(OpenStory::id).toList());
    }
    assertThat(skipping.openCount()).isEqualTo(scoringAll.openCount());
    return skipping.passedOver();
  }

  @Test
  void alertsSpreadOverMonthsJoinTheStoriesTheyJoinWhenEveryIndexedStoryIsScored() {
    assertThat(ALERTS).as("alerts of the development sets").hasSizeGreaterThan(500);
    final long passedOver = replayThroughBoth(1, 3, 120, StoryRules.defaults());
    // Were nothing passed over, the two books would agree whatever the window did.
    assertThat(passedOver).as("stories passed over as too far away").isGreaterThan(10_000);
  }

  @Test
  void theSameHoldsWithAShortQuietPeriodAndFewOpenStories() {
    final StoryRules tight = new StoryRules(Duration.ofHours(12), Duration.ofDays(4), StoryRules.DEFAULT_TEXT_THRESHOLD, 200);
    assertThat(replayThroughBoth(2, 2, 60, tight)).isGreaterThan(0);
  }
}
