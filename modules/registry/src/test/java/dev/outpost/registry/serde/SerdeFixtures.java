package dev.outpost.registry.serde;

import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.ClassifiedItem;
import dev.outpost.model.EvidenceSpan;
import dev.outpost.model.KafkaTarget;
import dev.outpost.model.Label;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Story;
import dev.outpost.model.Subscription;
import dev.outpost.model.SubscriptionFilter;
import dev.outpost.model.SurgeAlert;
import dev.outpost.model.SurgeStory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;

/** Records and schemas shared by the serde tests. */
final class SerdeFixtures {

  static final String TOPIC = "news.items.v1";

  private SerdeFixtures() {}

  static NewsItem newsItem() {
    return NewsItem.newBuilder()
        .setId("item-1")
        .setSource("reuters")
        .setUrl("https://example.org/a")
        .setTitle("Exercise announced")
        .setBody("Naval drills begin on Monday.")
        .setLanguage("en")
        .setPublishedAt(Instant.ofEpochMilli(1_700_000_000_000L))
        .setIngestedAt(Instant.ofEpochMilli(1_700_000_100_000L))
        .build();
  }

  static EvidenceSpan span() {
    return EvidenceSpan.newBuilder()
        .setField("title")
        .setStart(0)
        .setEnd(8)
        .setText("Exercise")
        .setRuleId("military.exercise.v1")
        .build();
  }

  static Alert alert() {
    return Alert.newBuilder()
        .setAlertId("item-1/MILITARY_EXERCISE")
        .setItemId("item-1")
        .setCategory(Category.MILITARY_EXERCISE)
        .setConfidence(0.875)
        .setActors(List.of("FRA", "DEU"))
        .setEvidence(List.of(span()))
        .setTitle("Exercise announced")
        .setUrl(null)
        .setSource("reuters")
        .setPublishedAt(null)
        .setClassifiedAt(Instant.ofEpochMilli(1_700_000_200_000L))
        .setClassifierVersion("rules-1")
        .build();
  }

  static ClassifiedItem classifiedItem() {
    return ClassifiedItem.newBuilder()
        .setItem(newsItem())
        .setLabels(
            List.of(
                Label.newBuilder()
                    .setCategory(Category.MILITARY_EXERCISE)
                    .setConfidence(0.9)
                    .setEvidence(List.of(span()))
                    .build(),
                Label.newBuilder()
                    .setCategory(Category.DIPLOMATIC_TENSION)
                    .setConfidence(0.25)
                    .setEvidence(List.of())
                    .build()))
        .setActors(List.of("FRA"))
        .setClassifiedAt(Instant.ofEpochMilli(1_700_000_300_000L))
        .setClassifierVersion("rules-1")
        .build();
  }

  static Subscription subscription() {
    return Subscription.newBuilder()
        .setId("sub-1")
        .setFilter(
            SubscriptionFilter.newBuilder()
                .setCategories(List.of(Category.PARADE))
                .setActors(List.of("FRA"))
                .setMinConfidence(0.5)
                .setKeywords(List.of("parade"))
                .build())
        .setTarget(KafkaTarget.newBuilder().setTopic("team.alerts").build())
        .setCreatedAt(Instant.ofEpochMilli(1_700_000_400_000L))
        .build();
  }

  static Story story() {
    return Story.newBuilder()
        .setStoryId("story-1")
        .setCategory(Category.MILITARY_EXERCISE)
        .setStates(List.of("DEU", "FRA"))
        .setFirstSeen(Instant.ofEpochMilli(1_700_000_000_000L))
        .setLastSeen(Instant.ofEpochMilli(1_700_000_500_000L))
        .setItemCount(2)
        .setSourceCount(2)
        .setSources(List.of("reuters", "afp"))
        .setLanguages(List.of("en", "fr"))
        .setTitle("Exercise announced")
        .setUrl("https://example.org/a")
        .setEvidence(List.of(span()))
        .setItemIds(List.of("item-1", "item-2"))
        .setClosed(false)
        .build();
  }

  static SurgeAlert surgeAlert() {
    return SurgeAlert.newBuilder()
        .setSurgeId("surge-1")
        .setState("FRA")
        .setCategory(Category.MILITARY_EXERCISE)
        .setWindowStart(Instant.ofEpochMilli(1_699_996_400_000L))
        .setWindowEnd(Instant.ofEpochMilli(1_700_000_000_000L))
        .setRecentStories(4)
        .setBaselineStories(6)
        .setBaselineAverage(1.5)
        .setFactor(2.0)
        .setStories(
            List.of(
                SurgeStory.newBuilder()
                    .setStoryId("story-1")
                    .setTitle("Exercise announced")
                    .setFirstSeen(Instant.ofEpochMilli(1_699_997_000_000L))
                    .build()))
        .build();
  }

  /**
   * @param name a file under src/test/resources/schemas
   * @return the schema it holds
   */
  static Schema schema(final String name) {
    try (InputStream in = SerdeFixtures.class.getResourceAsStream("/schemas/" + name)) {
      if (in == null) {
        throw new IllegalStateException("No test schema " + name);
      }
      return new Schema.Parser().parse(in);
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
