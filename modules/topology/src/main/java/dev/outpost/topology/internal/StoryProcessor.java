package dev.outpost.topology.internal;

import dev.outpost.classifier.story.OpenStory;
import dev.outpost.classifier.story.StoryBook;
import dev.outpost.classifier.story.StoryCandidate;
import dev.outpost.classifier.story.StoryRules;
import dev.outpost.classifier.story.StoryText;
import dev.outpost.classifier.story.SurgeRules;
import dev.outpost.classifier.story.SurgeTracker;
import dev.outpost.model.Alert;
import dev.outpost.model.AvroTrust;
import dev.outpost.model.Category;
import dev.outpost.model.EvidenceSpan;
import dev.outpost.model.Story;
import dev.outpost.model.SurgeAlert;
import dev.outpost.model.SurgeStory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Puts each alert into a story and counts story starts for surges. Its input is keyed by
 * category, so every alert of one category, from every input partition, reaches the same task:
 * a story never spans categories, and the surges of a state and category are counted in one
 * place.
 *
 * <p>Forwards three kinds of record: each alert, with its story's id and counts, keyed by item id;
 * the story's summary, keyed by story id, when it starts, at most once each {@link
 * #SUMMARIES_EVERY} while it grows, and once when it closes; and a surge
 * alert, keyed by {@code <CATEGORY>:<state>}, when a state's story starts surge.
 *
 * <p>The stores are the truth; the {@link StoryBook} is an index of the open stories rebuilt
 * from its store at {@link #init}, so a restart or a rebalance finds the same stories. Quiet
 * stories close on stream-time punctuation, and surges that subsided are reset there.
 */
public final class StoryProcessor implements Processor<String, Alert, String, SpecificRecord> {

  /** How often, in stream time, quiet stories are closed and surges checked for subsiding. */
  static final Duration PUNCTUATE_EVERY = Duration.ofMinutes(10);

  /**
   * How often, in wall-clock time, the stories that grew get a new summary. A story's first
   * summary is written with the alert that starts it, and its last when it closes; in between,
   * a story wire copies join by the hundred gets one summary a second, not one an alert.
   */
  public static final Duration SUMMARIES_EVERY = Duration.ofSeconds(1);

  private final String storyStoreName;
  private final String surgeStoreName;
  private final StoryRules storyRules;
  private final SurgeRules surgeRules;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, byte[]> storyStore;
  private KeyValueStore<String, byte[]> surgeStore;
  private final Runnable started;
  private final IntConsumer owed;
  private StoryBook book;
  private final Set<String> unsummarized = new LinkedHashSet<>();

  /**
   * @param storyStoreName the key-value store of open stories, by id
   * @param surgeStoreName the key-value store of surge trackers, by {@code <CATEGORY>:<state>}
   * @param storyRules when alerts join
   * @param surgeRules when starts surge
   * @param started told of each story an alert starts
   * @param owed told how the number of summaries owed changes: stories that grew since their last
   *     summary, written at the next {@link #SUMMARIES_EVERY}
   */
  public StoryProcessor(
      final String storyStoreName,
      final String surgeStoreName,
      final StoryRules storyRules,
      final SurgeRules surgeRules,
      final Runnable started,
      final IntConsumer owed) {
    this.started = started;
    this.owed = owed;
    this.storyStoreName = storyStoreName;
    this.surgeStoreName = surgeStoreName;
    this.storyRules = storyRules;
    this.surgeRules = surgeRules;
    AvroTrust.install();
  }

  @Override
  public void init(final ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.storyStore = context.getStateStore(storyStoreName);
    this.surgeStore = context.getStateStore(surgeStoreName);
    this.book = new StoryBook(storyRules);
    try (KeyValueIterator<String, byte[]> all = storyStore.all()) {
      while (all.hasNext()) {
        final OpenStory story = OpenStory.fromBytes(all.next().value);
        book.restore(story);
        // A summary owed when the last instance stopped may not have been written: write each
        // open story's again, which the compacted topic absorbs.
        owe(story.id());
      }
    }
    context.schedule(PUNCTUATE_EVERY, PunctuationType.STREAM_TIME, this::punctuate);
    context.schedule(SUMMARIES_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> summarize());
  }

  @Override
  public void process(final Record<String, Alert> record) {
    final Alert alert = record.value();
    final Headers headers = new RecordHeaders(record.headers().toArray());
    headers.remove(FanOut.SKETCH_HEADER);
    headers.remove(FanOut.LEAD_HEADER);
    final StoryCandidate candidate = candidate(alert, lead(record.headers()), record.timestamp());
    final int[] itemSketch = itemSketch(record.headers(), candidate);
    final StoryBook.Joined joined = book.add(candidate, itemSketch);
    final OpenStory story = joined.story();
    storyStore.put(story.id(), story.toBytes());
    for (final OpenStory closed : joined.closed()) {
      storyStore.delete(closed.id());
      paid(closed.id());
      context.forward(new Record<String, SpecificRecord>(closed.id(), summary(closed), record.timestamp()));
    }
    // This task deserialized the alert from the repartition topic and no one else holds it, so it
    // takes its story in place rather than through a builder's deep copy.
    alert.setStoryId(story.id());
    alert.setStoryItems(story.itemCount());
    alert.setStorySources(story.sourceCount());
    context.forward(new Record<String, SpecificRecord>(alert.getItemId(), alert, record.timestamp(), headers));
    if (joined.started()) {
      started.run();
      context.forward(new Record<String, SpecificRecord>(story.id(), summary(story), record.timestamp()));
      final long now = Math.max(record.timestamp(), context.currentStreamTimeMs());
      for (final String state : story.states()) {
        surge(alert.getCategory(), state, story, now).ifPresent(s -> context.forward(new Record<String, SpecificRecord>(s.key, s.value, record.timestamp())));
      }
    } else {
      owe(story.id());
    }
  }

  /**
   * Writes the summary of every story that grew since its last one: at most one a story for each
   * {@link #SUMMARIES_EVERY}, however many alerts joined it.
   */
  private void summarize() {
    for (final String id : unsummarized) {
      final OpenStory story = book.get(id);
      if (story != null) {
        context.forward(new Record<String, SpecificRecord>(id, summary(story), story.lastSeen()));
      }
    }
    owed.accept(-unsummarized.size());
    unsummarized.clear();
  }

  private void owe(final String storyId) {
    if (unsummarized.add(storyId)) {
      owed.accept(1);
    }
  }

  private void paid(final String storyId) {
    if (unsummarized.remove(storyId)) {
      owed.accept(-1);
    }
  }

  /**
   * Forgets the summaries owed: this task is closing, and whichever instance takes it on writes
   * every open story's summary when it starts.
   */
  @Override
  public void close() {
    owed.accept(-unsummarized.size());
    unsummarized.clear();
  }

  private static String lead(final Headers headers) {
    final Header lead = headers.lastHeader(FanOut.LEAD_HEADER);
    return lead == null ? "" : new String(lead.value(), StandardCharsets.UTF_8);
  }

  /**
   * @return the sketch fan-out computed for the alert's item; computed here from the title and
   *     any lead when an alert has none, as one an earlier version wrote, or a malformed one
   */
  private static int[] itemSketch(final Headers headers, final StoryCandidate candidate) {
    final Header sketch = headers.lastHeader(FanOut.SKETCH_HEADER);
    if (sketch != null && sketch.value() != null) {
      try {
        return StoryText.fromBytes(sketch.value());
      } catch (final IllegalArgumentException e) {
        // fall through: the title and any lead give a sketch of the alert's own
      }
    }
    return StoryText.itemSketch(candidate.title(), candidate.lead());
  }

  private Optional<KeyValue<String, SpecificRecord>> surge(
      final Category category, final String state, final OpenStory story, final long now) {
    final String key = category.name() + ":" + state;
    final byte[] bytes = surgeStore.get(key);
    final SurgeTracker tracker = bytes == null ? new SurgeTracker() : SurgeTracker.fromBytes(bytes);
    final Optional<SurgeTracker.Surge> surge =
        tracker.started(new SurgeTracker.Start(story.id(), story.title(), story.firstSeen()), now, surgeRules);
    surgeStore.put(key, tracker.toBytes());
    return surge.map(s -> KeyValue.pair(key, surgeAlert(category, state, s)));
  }

  private void punctuate(final long streamTime) {
    for (final OpenStory closed : book.closeQuiet(streamTime)) {
      storyStore.delete(closed.id());
      paid(closed.id());
      context.forward(new Record<String, SpecificRecord>(closed.id(), summary(closed), streamTime));
    }
    summarize();
    final List<String> forget = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> all = surgeStore.all()) {
      while (all.hasNext()) {
        final KeyValue<String, byte[]> entry = all.next();
        final SurgeTracker tracker = SurgeTracker.fromBytes(entry.value);
        final boolean wasSurging = tracker.surging();
        if (!tracker.advance(streamTime, surgeRules)) {
          forget.add(entry.key);
        } else if (wasSurging != tracker.surging()) {
          surgeStore.put(entry.key, tracker.toBytes());
        }
      }
    }
    forget.forEach(surgeStore::delete);
  }

  private SurgeAlert surgeAlert(final Category category, final String state, final SurgeTracker.Surge surge) {
    final List<SurgeStory> stories = new ArrayList<>(surge.recent().size());
    for (final SurgeTracker.Start start : surge.recent()) {
      stories.add(
          SurgeStory.newBuilder()
              .setStoryId(start.storyId())
              .setTitle(start.title())
              .setFirstSeen(Instant.ofEpochMilli(start.time()))
              .build());
    }
    return SurgeAlert.newBuilder()
        .setSurgeId(surgeId(category, state, surge.windowEnd()))
        .setState(state)
        .setCategory(category)
        .setWindowStart(Instant.ofEpochMilli(surge.windowStart()))
        .setWindowEnd(Instant.ofEpochMilli(surge.windowEnd()))
        .setRecentStories(surge.recent().size())
        .setBaselineStories(surge.baselineStories())
        .setBaselineAverage(surge.baselineAverage())
        .setFactor(surgeRules.factor())
        .setStories(stories)
        .build();
  }

  /**
   * @param alert an alert
   * @param lead the lead of its item's text
   * @param eventTime its record's timestamp: publication time, else arrival
   * @return the alert as story matching sees it
   */
  static StoryCandidate candidate(final Alert alert, final String lead, final long eventTime) {
    final List<StoryCandidate.Span> spans = new ArrayList<>(alert.getEvidence().size());
    for (final EvidenceSpan e : alert.getEvidence()) {
      spans.add(new StoryCandidate.Span(e.getField(), e.getStart(), e.getEnd(), e.getText(), e.getRuleId(), e.getStates(), e.getTargets()));
    }
    return new StoryCandidate(
        alert.getItemId(),
        alert.getCategory().name(),
        // In the order the item names them: the first is the story's primary state.
        new LinkedHashSet<>(alert.getActors()),
        eventTime,
        alert.getSource(),
        alert.getTitle(),
        lead,
        alert.getUrl(),
        alert.getLanguage(),
        spans);
  }

  /**
   * @param story a story
   * @return its summary for {@code stories.v1}
   */
  static Story summary(final OpenStory story) {
    final List<EvidenceSpan> evidence = new ArrayList<>();
    for (final StoryCandidate.Span s : story.evidence()) {
      evidence.add(
          EvidenceSpan.newBuilder()
              .setField(s.field())
              .setStart(s.start())
              .setEnd(s.end())
              .setText(s.text())
              .setRuleId(s.ruleId())
              .setStates(s.states())
              .setTargets(s.targets())
              .build());
    }
    return Story.newBuilder()
        .setStoryId(story.id())
        .setCategory(Category.valueOf(story.category()))
        .setStates(story.states())
        .setFirstSeen(Instant.ofEpochMilli(story.firstSeen()))
        .setLastSeen(Instant.ofEpochMilli(story.lastSeen()))
        .setItemCount(story.itemCount())
        .setSourceCount(story.sourceCount())
        .setSources(story.sources())
        .setLanguages(story.languages())
        .setTitle(story.title())
        .setUrl(story.url())
        .setEvidence(evidence)
        .setItemIds(story.itemIds())
        .setClosed(story.closed())
        .build();
  }

  private static String surgeId(final Category category, final String state, final long windowEnd) {
    try {
      final byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((category.name() + "|" + state + "|" + windowEnd).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
