package dev.outpost.ingest.replay;

import dev.outpost.clients.ApplicationRunningException;
import dev.outpost.clients.ConsumerGroupLag;
import dev.outpost.clients.LogEnd;
import dev.outpost.clients.PipelineAdmin;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.clients.TopicReader;
import dev.outpost.ingest.IngestException;
import dev.outpost.ingest.InputLimit;
import dev.outpost.ingest.NewsFileReader;
import dev.outpost.model.NewsItem;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/**
 * One replay of a source into a namespace, as {@code outpost replay} runs it: opens the source (a
 * file, a directory or a topic) behind a read-ahead, finds where an earlier run into the same
 * namespace stopped ({@link Topics#REPLAY_STATE}), sends the rest with a {@link Replayer} while a
 * {@link ReplayProgress} shows how far it got, and waits for a pipeline's consumer group to
 * commit every record of the namespace's input.
 *
 * <p>It reads the source, writes {@code NAMESPACE.news.items.v1} and reads {@link
 * Topics#REPLAY_STATE}. Creating the topics, starting the pipeline that classifies them and
 * stopping on a signal are the caller's.
 */
public final class ReplayJob implements AutoCloseable {

  /** Items decoded ahead of the one being sent. */
  public static final int READ_AHEAD = 2_000;

  /** How often {@link #awaitClassified} asks for the lag. */
  private static final Duration LAG_POLL = Duration.ofMillis(250);

  /**
   * What to replay, and where.
   *
   * @param namespace where the replay goes
   * @param from a file or directory of news files, or null to read {@code fromTopic}
   * @param fromTopic a topic of news items, read when {@code from} is null
   * @param since the first publication time replayed, or null for no bound
   * @param until the publication time replayed up to (excluded), or null
   * @param speed how fast
   * @param progressInterval how often a plain progress line is printed
   * @param limit the most bytes a text file may hold
   */
  public record Options(
      String namespace,
      Path from,
      String fromTopic,
      Instant since,
      Instant until,
      ReplaySpeed speed,
      Duration progressInterval,
      InputLimit limit) {

    /**
     * @throws IllegalArgumentException for a bad namespace, not exactly one source, or bounds
     *     that are out of order
     */
    public Options {
      Topics.requireNamespace(namespace);
      if ((from == null) == (fromTopic == null)) {
        throw new IllegalArgumentException("a replay reads either files or a topic");
      }
      if (since != null && until != null && !since.isBefore(until)) {
        throw new IllegalArgumentException(since + " is not before " + until);
      }
    }

    /**
     * The options as {@code outpost replay}'s flags give them, each checked with a message that
     * names its flag.
     *
     * @param namespace where the replay goes, already checked
     * @param from a file or directory of news files, or null
     * @param fromTopic a topic of news items, read when {@code from} is null
     * @param since {@code --since}: a date, a UTC time or null
     * @param until {@code --until}: the same
     * @param speed {@code --speed}, as {@link ReplaySpeed#parse} reads it
     * @param progressInterval how often a plain progress line is printed
     * @param limit the most bytes a text file may hold
     * @return the options
     * @throws IngestException naming the flag that is wrong, and why
     */
    public static Options parse(
        final String namespace,
        final Path from,
        final String fromTopic,
        final String since,
        final String until,
        final String speed,
        final Duration progressInterval,
        final InputLimit limit) {
      final Instant first = time("--since", since);
      final Instant end = time("--until", until);
      if (first != null && end != null && !first.isBefore(end)) {
        throw new IngestException("--since " + since + " is not before --until " + until);
      }
      final ReplaySpeed pace;
      try {
        pace = ReplaySpeed.parse(speed);
      } catch (final IllegalArgumentException e) {
        throw new IngestException("Invalid --speed: " + e.getMessage(), e);
      }
      if (fromTopic != null) {
        requireNewsTopic(fromTopic);
      }
      return new Options(namespace, from, fromTopic, first, end, pace, progressInterval, limit);
    }

    private static Instant time(final String option, final String text) {
      try {
        return parseTime(text);
      } catch (final IllegalArgumentException e) {
        throw new IngestException("Invalid " + option + " '" + text + "': " + e.getMessage(), e);
      }
    }
  }

  private final Options options;
  private final Map<String, Object> kafkaProperties;
  private final SchemaRegistryClient registry;
  private final Clock clock;
  private final Consumer<String> problems;
  /** The files, opened at once; null for a topic, which {@link #start()} opens. */
  private ReplaySource files;
  private ReplaySource source;

  /**
   * Opens a source of files, so that one that cannot be read fails before anything is created;
   * a topic is opened by {@link #start()}, once the caller has made sure the cluster is there.
   *
   * @param options what to replay, and where
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param registry the registry the items' schemas are registered with; the caller closes it
   * @param clock the time no record is stamped later than, and text items are taken in at
   * @param problems told each entry of the source that cannot be read
   * @throws IngestException when the files cannot be read
   */
  public ReplayJob(
      final Options options,
      final Map<String, Object> kafkaProperties,
      final SchemaRegistryClient registry,
      final Clock clock,
      final Consumer<String> problems) {
    this.options = options;
    this.kafkaProperties = Map.copyOf(kafkaProperties);
    this.registry = registry;
    this.clock = clock;
    this.problems = problems;
    this.files = options.from() == null ? null : new FileSource(options.from(), new NewsFileReader(clock), problems, options.limit());
  }

  /**
   * @param text a date (2025-09-01, its start in UTC) or an ISO-8601 UTC time
   *     (2025-09-01T06:00:00Z), or null
   * @return the time, or null for null
   * @throws IllegalArgumentException saying what a time looks like
   */
  static Instant parseTime(final String text) {
    if (text == null) {
      return null;
    }
    try {
      return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
    } catch (final DateTimeParseException e) {
      throw new IllegalArgumentException("use a date (2025-09-01) or a UTC time (2025-09-01T06:00:00Z)", e);
    }
  }

  /**
   * Refuses a topic of the catalog, or a namespace's copy of one, that holds something other
   * than news items; a topic the catalog does not know passes.
   *
   * @param topic the topic to replay from
   * @throws IngestException naming the topic and what it holds
   */
  static void requireNewsTopic(final String topic) {
    final String bare = topic.contains(".news.") ? topic.substring(topic.indexOf(".news.") + 1) : topic;
    Topics.byName(bare)
        .filter(t -> t.valueType() != NewsItem.class)
        .ifPresent(
            t -> {
              throw new IngestException(
                  "--from-topic '" + topic + "' holds " + t.valueType().getSimpleName()
                      + " records, not news items; replay news.items.v1 or a namespace's copy of it");
            });
  }

  /** @return what is replayed, for messages; after {@link #start()} */
  public String description() {
    return source.description();
  }

  /** @return entries of the source that could not be read, so far; after {@link #start()} */
  public long bad() {
    return source.bad();
  }

  /** @return where a new replay of this source and these bounds starts */
  private ReplayState wanted() {
    return ReplayState.start(
        source.description(),
        options.since() == null ? null : options.since().toString(),
        options.until() == null ? null : options.until().toString());
  }

  /**
   * Opens the source behind a read-ahead of {@value #READ_AHEAD} items, and finds where the
   * namespace's replay stands.
   *
   * @return the saved state when it is this replay, a new one when the namespace has none
   * @throws IngestException when the topic does not exist, or the namespace holds another replay
   *     or an unreadable position
   */
  public ReplayState start() {
    if (source == null) {
      source =
          new ReadAhead(files != null ? files : new TopicSource(kafkaProperties, registry, options.fromTopic(), problems), READ_AHEAD);
    }
    return resume(options.namespace(), TopicReader.readState(kafkaProperties, Topics.REPLAY_STATE.name()).get(options.namespace()), wanted());
  }

  /**
   * @param namespace the namespace, for messages
   * @param json the saved state, or null when there is none
   * @param wanted the replay asked for
   * @return the saved state when it is the same replay, else {@code wanted} when nothing is saved
   * @throws IngestException when the saved state is unreadable or another replay's
   */
  static ReplayState resume(final String namespace, final String json, final ReplayState wanted) {
    if (json == null) {
      return wanted;
    }
    final ReplayState saved;
    try {
      saved = ReplayState.fromJson(json);
    } catch (final IllegalArgumentException e) {
      throw new IngestException(
          "The saved position of namespace '" + namespace + "' is unreadable (" + e.getMessage()
              + "); delete the namespace with --delete-namespace",
          e);
    }
    if (!saved.sameReplayAs(wanted)) {
      throw new IngestException(
          "Namespace '" + namespace + "' holds another replay (" + saved.describe() + "). Replay the same source and"
              + " bounds to resume it, pick another --namespace, or delete this one with --delete-namespace");
    }
    return saved;
  }

  /**
   * Sends what is left of the source after {@code state}, in transactions that also save the
   * position; says first what it replays, where, and how fast.
   *
   * @param state where the replay stands, from {@link #start()}
   * @param stop counted down to stop after the current item; what was sent is committed
   * @param terminal a terminal to draw a progress bar on, or null for plain lines
   * @param lines where the first line and plain progress lines go
   * @return where the replay stands now; {@link ReplayState#done()} when the source was read to
   *     its end
   * @throws IngestException when the replay cannot start
   */
  public ReplayState replay(final ReplayState state, final CountDownLatch stop, final PrintStream terminal, final PrintWriter lines) {
    if (state.done()) {
      return state;
    }
    final long total = source.size();
    source.resume(state.position());
    lines.printf("Replaying %s into '%s' at speed %s ...%n", source.description(), options.namespace(), options.speed());
    lines.flush();
    try (Replayer replayer = new Replayer(kafkaProperties, registry, options.namespace(), clock);
        ReplayProgress progress =
            ReplayProgress.create(terminal, lines, options.namespace(), total, options.progressInterval(), System::nanoTime)) {
      return replayer.run(source, state, options.since(), options.until(), options.speed(), stop, progress);
    }
  }

  /**
   * Waits until a consumer group has committed every record of a topic.
   *
   * @param admin a connected admin client, asked four times a second
   * @param group the consumer group, a pipeline's application id
   * @param inputTopic the topic it reads
   * @param repartitionTopics the pipeline's own repartition topics, which it also reads: an item
   *     is done when what it sent through them is committed too
   * @param stop counted down to stop waiting
   * @param lines where a line says the records left, once per progress interval
   * @return true when nothing is left; false when stopped first
   * @throws ExecutionException when the cluster refused
   * @throws InterruptedException when interrupted
   * @throws TimeoutException when the cluster did not answer in time
   */
  public boolean awaitClassified(
      final Admin admin,
      final String group,
      final String inputTopic,
      final List<String> repartitionTopics,
      final CountDownLatch stop,
      final PrintWriter lines)
      throws ExecutionException, InterruptedException, TimeoutException {
    final int partitions =
        admin.describeTopics(List.of(inputTopic)).allTopicNames().get(TopicAdmin.REACH_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .get(inputTopic).partitions().size();
    final List<TopicPartition> input = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      input.add(new TopicPartition(inputTopic, p));
    }
    return awaitZero(
        () -> lag(admin, group, input, repartitionTopics),
        stop,
        options.progressInterval(),
        System::nanoTime,
        left -> {
          lines.printf("Classifying: %,d record(s) of %s left%n", left, inputTopic);
          lines.flush();
        });
  }

  /**
   * @param lag asked for what is left until it says 0
   * @param stop counted down to stop waiting; checked between the questions
   * @param every how often {@code left} is told
   * @param nanoTime the clock {@code every} is measured by
   * @param left told what is left, at most once per {@code every}
   * @return true when {@code lag} said 0; false when stopped first
   * @throws InterruptedException when interrupted
   */
  static boolean awaitZero(
      final LongSupplier lag, final CountDownLatch stop, final Duration every, final LongSupplier nanoTime, final LongConsumer left)
      throws InterruptedException {
    long lastLine = nanoTime.getAsLong();
    while (true) {
      final long now = lag.getAsLong();
      if (now == 0) {
        return true;
      }
      if (nanoTime.getAsLong() - lastLine >= every.toNanos()) {
        left.accept(now);
        lastLine = nanoTime.getAsLong();
      }
      if (stop.await(LAG_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
        return false;
      }
    }
  }

  /**
   * Records of the input not yet committed by the group; a partition it has not committed yet is
   * behind by all of it (the namespace's topics keep every record, so they start at 0). The end is
   * the high watermark, not the last stable offset: just after the replay's last commit returns,
   * the commit markers may not have reached the partitions yet, and until they do the last stable
   * offset stands before the whole transaction, which read as "nothing left" before anything was
   * classified.
   */
  private static long lag(
      final Admin admin, final String group, final List<TopicPartition> input, final List<String> repartitionTopics) {
    final List<TopicPartition> watched = new ArrayList<>(input);
    watched.addAll(partitionsOf(admin, repartitionTopics));
    long lag = 0;
    for (final ConsumerGroupLag.Partition p :
        ConsumerGroupLag.read(admin, group, watched, LogEnd.HIGH_WATERMARK, Duration.ofMillis(TopicAdmin.REACH_TIMEOUT_MS)).partitions()) {
      lag += p.lag().orElse(p.end());
    }
    return lag;
  }

  /**
   * The partitions of those of these topics that exist yet: Kafka Streams creates a repartition
   * topic as the pipeline first starts, so early on there may be none.
   */
  private static List<TopicPartition> partitionsOf(final Admin admin, final List<String> topics) {
    if (topics.isEmpty()) {
      return List.of();
    }
    try {
      final Set<String> existing = admin.listTopics().names().get(TopicAdmin.REACH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      final List<String> names = topics.stream().filter(existing::contains).sorted().toList();
      if (names.isEmpty()) {
        return List.of();
      }
      final List<TopicPartition> partitions = new ArrayList<>();
      admin.describeTopics(names).allTopicNames().get(TopicAdmin.REACH_TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .forEach((name, d) -> d.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
      return partitions;
    } catch (final ExecutionException | TimeoutException e) {
      throw new IngestException("Cannot list the pipeline's repartition topics: " + e.getMessage(), e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException("Interrupted while listing the pipeline's repartition topics", e);
    }
  }

  /**
   * Deletes a namespace: its topics, its pipeline's consumer group and local state, and the
   * position of its replay.
   *
   * @param admin a connected admin client
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param namespace the namespace
   * @param application the pipeline that runs in the namespace
   * @return the topics deleted, sorted
   * @throws IngestException when the pipeline is still running; nothing is deleted then
   */
  public static List<String> deleteNamespace(
      final Admin admin, final Map<String, Object> kafkaProperties, final String namespace, final PipelineAdmin.Application application) {
    final List<String> topics = Topics.pipelineIn(namespace).stream().map(TopicSpec::name).toList();
    try {
      return new PipelineAdmin(admin, kafkaProperties, Duration.ofMillis(TopicAdmin.REACH_TIMEOUT_MS))
          .deleteNamespace(namespace, application, topics, Topics.REPLAY_STATE.name());
    } catch (final ApplicationRunningException e) {
      throw new IngestException(
          "The pipeline of namespace '" + namespace + "' (" + application.id() + ") is still running; stop it first", e);
    }
  }

  /**
   * @param what how the replay ended, such as "Replayed" or "Stopped"
   * @param state where it stands
   * @return one line on what was sent, skipped and unreadable
   */
  public String summary(final String what, final ReplayState state) {
    return String.format(
        Locale.ROOT,
        "%s %s into namespace '%s': %d item(s) sent to %s, %d outside --since/--until, %d bad",
        what,
        state.source(),
        options.namespace(),
        state.published(),
        Topics.in(options.namespace(), Topics.NEWS_ITEMS).name(),
        state.skipped(),
        bad());
  }

  /** Closes the source; the registry is the caller's. */
  @Override
  public void close() {
    if (source != null) {
      source.close();
    } else if (files != null) {
      files.close();
    }
    source = null;
    files = null;
  }
}
