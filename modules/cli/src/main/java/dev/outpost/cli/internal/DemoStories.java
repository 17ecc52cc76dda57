package dev.outpost.cli.internal;

import dev.outpost.clients.ReadRequest;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.clients.TopicReader;
import dev.outpost.model.Alert;
import dev.outpost.model.Story;
import dev.outpost.model.SurgeAlert;
import dev.outpost.model.SurgeStory;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;

/**
 * The stories of one demo run: tells the run's alerts from others (it is the alert printer's
 * filter) and remembers the story each joined; once the pipeline has caught up, reads those
 * stories from {@code stories.v1} and the surges they are part of from {@code alerts.surge.v1}.
 *
 * <p>A run on data a previous run left adds its reports to that run's open stories (the same
 * outlets, the same states, within days), so its stories are the ones its alerts joined, new or
 * not, each as it stands now.
 */
public final class DemoStories implements Predicate<Alert> {

  /**
   * The run's stories and the surges they are part of.
   *
   * @param stories the latest summary of each story the run's alerts joined, in the order they
   *     were first joined
   * @param started how many of them an alert of the run started
   * @param surges every surge on the topic with one of those stories among its own, in topic order
   */
  public record Report(List<Story> stories, int started, List<SurgeAlert> surges) {

    /** Copies the lists. */
    public Report {
      stories = List.copyOf(stories);
      surges = List.copyOf(surges);
    }
  }

  private final String suffix;
  private final Set<String> storyIds = ConcurrentHashMap.newKeySet();
  private final List<String> order = new ArrayList<>();

  /**
   * @param run the tag this run appended to every item id
   */
  private static final Duration SUMMARIES_WAIT = Duration.ofSeconds(10);

  private final Map<String, Integer> sizes = new ConcurrentHashMap<>();

  public DemoStories(final String run) {
    this.suffix = "." + run;
  }

  /**
   * @param alert an alert the printer printed
   * @return whether it is an alert of this run; if so, its story is remembered
   */
  @Override
  public boolean test(final Alert alert) {
    if (!alert.getItemId().endsWith(suffix)) {
      return false;
    }
    final String story = alert.getStoryId();
    if (story != null) {
      if (storyIds.add(story)) {
        synchronized (order) {
          order.add(story);
        }
      }
      sizes.merge(story, alert.getStoryItems(), Math::max);
    }
    return true;
  }

  private boolean counted(final Map<String, Story> latest, final List<String> ids) {
    for (final String id : ids) {
      final Story story = latest.get(id);
      if (story == null || story.getItemCount() < sizes.getOrDefault(id, 0)) {
        return false;
      }
    }
    return true;
  }

  /** @return the ids of the stories this run's alerts joined, in the order they were first joined */
  public List<String> storyIds() {
    synchronized (order) {
      return List.copyOf(order);
    }
  }

  /**
   * Reads both topics to their ends, read committed. A story's first summary and its surge are
   * written in the transaction of the alert that started it; later summaries within a second, so
   * {@code stories.v1} is read again, for a few seconds at most, until each story's summary counts
   * the reports its alerts said it had.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param registry the registry the records' schemas are in
   * @return the run's stories and their surges
   * @throws dev.outpost.clients.TopicReadTimeoutException when a topic's end is not reached within
   *     {@link TopicAdmin#REACH_TIMEOUT_MS}
   */
  public Report read(final Map<String, Object> kafkaProperties, final SchemaRegistryClient registry) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    final Duration deadline = Duration.ofMillis(TopicAdmin.REACH_TIMEOUT_MS);
    final List<String> ids = storyIds();
    final long until = System.nanoTime() + SUMMARIES_WAIT.toNanos();
    Map<String, Story> latest;
    while (true) {
      try (TopicReader<String, Story> reader = TopicSerdes.reader(Topics.STORIES, props, IsolationLevel.READ_COMMITTED, registry)) {
        latest = reader.readLatest(ReadRequest.fromBeginning(Topics.STORIES.name(), deadline));
      }
      if (counted(latest, ids) || System.nanoTime() > until) {
        break;
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
    final List<Story> stories = new ArrayList<>(ids.size());
    int started = 0;
    for (final String id : ids) {
      final Story story = latest.get(id);
      if (story != null) {
        stories.add(story);
        // The first of its item ids is the one that started it.
        if (!story.getItemIds().isEmpty() && story.getItemIds().get(0).endsWith(suffix)) {
          started++;
        }
      }
    }
    final Set<String> mine = Set.copyOf(ids);
    final List<SurgeAlert> surges = new ArrayList<>();
    try (TopicReader<String, SurgeAlert> reader =
        TopicSerdes.reader(Topics.ALERTS_SURGE, props, IsolationLevel.READ_COMMITTED, registry)) {
      reader.read(
          ReadRequest.fromBeginning(Topics.ALERTS_SURGE.name(), deadline),
          r -> {
            if (r.value() != null && r.value().getStories().stream().map(SurgeStory::getStoryId).anyMatch(mine::contains)) {
              surges.add(r.value());
            }
          });
    }
    return new Report(stories, started, surges);
  }
}
