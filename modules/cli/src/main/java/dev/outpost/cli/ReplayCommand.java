package dev.outpost.cli;

import dev.outpost.cli.config.Durations;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.KafkaAccess;
import dev.outpost.cli.internal.PipelineWiring;
import dev.outpost.classifier.Classifier;
import dev.outpost.clients.ConsumerGroupLag;
import dev.outpost.clients.LogEnd;
import dev.outpost.ingest.NewsFileReader;
import dev.outpost.ingest.replay.FileSource;
import dev.outpost.ingest.replay.ReadAhead;
import dev.outpost.ingest.replay.ReplayProgress;
import dev.outpost.ingest.replay.ReplaySource;
import dev.outpost.ingest.replay.ReplaySpeed;
import dev.outpost.ingest.replay.ReplayState;
import dev.outpost.ingest.replay.Replayer;
import dev.outpost.ingest.replay.TopicSource;
import dev.outpost.model.NewsItem;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.topology.Pipeline;
import dev.outpost.topology.PipelineConfig;
import dev.outpost.topology.PipelineMetrics;
import dev.outpost.topology.PipelineSerdes;
import dev.outpost.topology.StreamsSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost replay}: sends historical items into a namespace and classifies them there,
 * apart from the live pipeline and its subscribers.
 *
 * <p>Exit codes: 0 when the whole source was replayed and classified; 1 when the pipeline failed;
 * 2 for bad flags or input. Stopped by a signal, the process exits as any program a signal stops
 * (130 after Ctrl-C, 143 after SIGTERM), once what was sent is committed; the same command then
 * resumes.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Replay historical news into a namespace: every item goes to NAME.news.items.v1, its record",
      "timed at its publication, and the pipeline classifies it there into NAME.news.classified.v1",
      "and NAME.alerts.*.v1, with its own application id. Live topics and live subscribers see",
      "nothing; 'outpost subscribe --namespace NAME' reads the replayed alerts.",
      "Ctrl-C stops cleanly; running the same command again resumes where it stopped.",
      "Topics a replay creates keep their records until the namespace is deleted with",
      "--delete-namespace, whatever the age of the items."
    })
public final class ReplayCommand implements Callable<Integer> {

  /** What {@link #call} returns for a replay stopped before its end (a signal decides the process's). */
  public static final int EXIT_STOPPED = 130;

  /** Items decoded ahead of the one being sent. */
  private static final int READ_AHEAD = 2_000;

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClusterOptions cluster;
  @Mixin private PipelineOptions pipelineOptions;
  @Mixin private ClassifierOptions classifierOptions;
  @Mixin private InputOptions inputOptions;

  @Option(
      names = "--namespace",
      required = true,
      paramLabel = "NAME",
      description = "Where the replay goes: topics NAME.*, application id <application.id>.NAME.")
  private String namespace;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  private Input input;

  static final class Input {
    @Option(
        names = "--from",
        paramLabel = "FILE|DIR",
        description = {
          "A file, or a directory searched for news files: Avro container files (as 'outpost",
          "archive' writes them), JSON Lines (.jsonl), RSS or Atom (.xml, .rss, .atom). Files are",
          "read in path order, which for an archive is day order."
        })
    Path from;

    @Option(
        names = "--from-topic",
        paramLabel = "TOPIC",
        description = "A topic of news items, such as news.items.v1, up to where it ends when the replay starts.")
    String fromTopic;

    @Option(
        names = "--delete-namespace",
        description = "Delete the namespace instead: its topics, the pipeline's state and consumer group, and the replay's position.")
    boolean delete;
  }

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description = "Replay only items published at or after this time: 2025-09-01 or 2025-09-01T06:00:00Z.")
  private String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "Replay only items published before this time.")
  private String until;

  @Option(
      names = "--speed",
      paramLabel = "max|realtime|Nx",
      defaultValue = "max",
      description = "max: as fast as the cluster takes them; realtime, or 60x for sixty times faster: paced by the gaps between publication times. Default: ${DEFAULT-VALUE}.")
  private String speed;

  @Option(
      names = "--no-pipeline",
      description = "Only send the items; classify them elsewhere with 'outpost run --namespace NAME' (on a cluster, as many instances as you like).")
  private boolean noPipeline;

  @Option(
      names = "--progress-interval",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description = "How often to print a progress line when not on a terminal. Default: ${DEFAULT-VALUE}.")
  private String progressInterval;

  @Override
  public Integer call() throws InterruptedException {
    try {
      Topics.requireNamespace(namespace);
    } catch (final IllegalArgumentException e) {
      throw new UserException("Invalid --namespace: " + e.getMessage(), e);
    }
    final PrintWriter err = spec.commandLine().getErr();
    final Map<String, String> flags = new HashMap<>(pipelineOptions.flags());
    flags.putAll(inputOptions.flags());
    final ResolvedConfig config = cluster.resolve(root.env(), flags);
    final StreamsSettings live = PipelineWiring.streamsSettings(config);
    final StreamsSettings settings = live.inNamespace(namespace);
    if (input != null && input.delete) {
      return deleteNamespace(config, settings);
    }
    if (input == null) {
      throw new UserException("Say what to replay: --from FILE|DIR or --from-topic TOPIC (or --delete-namespace)");
    }
    final Instant from = time("--since", since);
    final Instant to = time("--until", until);
    if (from != null && to != null && !from.isBefore(to)) {
      throw new UserException("--since " + since + " is not before --until " + until);
    }
    final ReplaySpeed pace;
    try {
      pace = ReplaySpeed.parse(speed);
    } catch (final IllegalArgumentException e) {
      throw new UserException("Invalid --speed: " + e.getMessage(), e);
    }
    final Duration every = Durations.parse("--progress-interval", progressInterval);
    if (input.fromTopic != null) {
      requireNewsTopic(input.fromTopic);
    }
    if (!noPipeline) {
      PipelineWiring.requireSafeGuarantee(config);
    }
    final Classifier classifier = noPipeline ? null : classifierOptions.classifier();
    final PipelineConfig pipelineConfig = PipelineWiring.pipelineConfig(config).inNamespace(namespace);

    final ReplaySource files =
        input.from == null ? null : new FileSource(input.from, new NewsFileReader(root.clock()), problem -> problem(err, problem), InputOptions.limit(config));
    final List<TopicSpec<?, ?>> topics = new ArrayList<>(Topics.pipelineIn(namespace));
    // Items keep their publication times as record times, so time-based retention would delete
    // an old replay at once: the namespace's topics keep everything until it is deleted.
    final List<String> created =
        KafkaAccess.createMissingTopics(config.kafkaProperties(), topics, settings.replicationFactor(), Map.of("retention.ms", "-1"));
    KafkaAccess.createMissingTopics(config.kafkaProperties(), List.of(Topics.REPLAY_STATE), settings.replicationFactor());
    if (!created.isEmpty()) {
      err.printf("Created topics %s, kept until the namespace is deleted%n", created);
    }

    final SchemaRegistryClient registry = config.newRegistryClient();
    final ReplaySource source;
    try {
      source =
          new ReadAhead(
              files != null ? files : new TopicSource(config.kafkaProperties(), registry, input.fromTopic, problem -> problem(err, problem)),
              READ_AHEAD);
    } catch (final RuntimeException e) {
      registry.close();
      throw e;
    }
    final CountDownLatch stop = new CountDownLatch(1);
    final CountDownLatch finished = new CountDownLatch(1);
    final Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                finished.await(60, TimeUnit.SECONDS);
              } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "outpost-replay-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    Pipeline pipeline = null;
    try {
      final ReplayState wanted =
          ReplayState.start(source.description(), from == null ? null : from.toString(), to == null ? null : to.toString());
      final ReplayState state = savedState(config, wanted);
      if (state.published() + state.skipped() > 0 || state.done()) {
        err.printf("Resuming the replay into '%s': %s%n", namespace, state.describe());
      }
      final PipelineMetrics metrics = new PipelineMetrics(settings.applicationId());
      final AtomicReference<KafkaStreams.State> failed = new AtomicReference<>();
      if (!noPipeline) {
        pipeline =
            Pipeline.start(pipelineConfig, settings, classifier, PipelineSerdes.using(registry, config.registryProperties()), metrics, root.clock());
        pipeline.onStateChange(
            (now, before) -> {
              if (now == KafkaStreams.State.ERROR) {
                failed.set(now);
                stop.countDown();
              }
            });
        err.printf("Pipeline %s classifying %s%n", settings.applicationId(), pipelineConfig.inputTopic());
      }
      ReplayState end = state;
      if (!state.done()) {
        final long total = source.size();
        source.resume(state.position());
        err.printf("Replaying %s into '%s' at speed %s ...%n", source.description(), namespace, pace);
        err.flush();
        try (Replayer replayer = new Replayer(config.kafkaProperties(), registry, namespace, root.clock());
            ReplayProgress progress =
                ReplayProgress.create(System.console() != null ? System.err : null, err, namespace, total, every, System::nanoTime)) {
          end = replayer.run(source, state, from, to, pace, stop, progress);
        }
      }
      if (failed.get() != null) {
        err.println("outpost: the pipeline stopped on an error (see the log above); the replay stopped too. " + RunCommand.status(metrics));
        return Outpost.EXIT_FAILURE;
      }
      if (!end.done()) {
        report(err, "Stopped", end, source.bad());
        err.printf("Run the same command again to resume.%n");
        return EXIT_STOPPED;
      }
      if (pipeline != null) {
        if (!awaitClassified(config, settings.applicationId(), pipelineConfig.inputTopic(), stop, err, every)) {
          err.printf(failed.get() != null ? "outpost: the pipeline stopped on an error%n" : "Stopped before the pipeline classified everything; run the same command again to finish.%n");
          return failed.get() != null ? Outpost.EXIT_FAILURE : EXIT_STOPPED;
        }
        err.println("This run: " + RunCommand.status(metrics));
      }
      report(spec.commandLine().getOut(), "Replayed", end, source.bad());
      spec.commandLine().getOut().printf("Read the alerts: outpost subscribe --namespace %s --from earliest%n", namespace);
      spec.commandLine().getOut().flush();
      return Outpost.EXIT_OK;
    } finally {
      if (pipeline != null) {
        pipeline.close(Duration.ofSeconds(60));
      }
      source.close();
      registry.close();
      err.flush();
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (final IllegalStateException e) {
        // Shutting down already.
      }
    }
  }

  private void report(final PrintWriter out, final String what, final ReplayState state, final long bad) {
    out.printf(
        "%s %s into namespace '%s': %d item(s) sent to %s, %d outside --since/--until, %d bad%n",
        what,
        state.source(),
        namespace,
        state.published(),
        Topics.in(namespace, Topics.NEWS_ITEMS).name(),
        state.skipped(),
        bad);
    out.flush();
  }

  private static void problem(final PrintWriter err, final String problem) {
    err.println("outpost: skipped " + problem);
    err.flush();
  }

  /** The namespace's saved replay, when it is this one; a new one when there is none. */
  private ReplayState savedState(final ResolvedConfig config, final ReplayState wanted) {
    final String json = KafkaAccess.readLatest(config.kafkaProperties(), Topics.REPLAY_STATE.name()).get(namespace);
    if (json == null) {
      return wanted;
    }
    final ReplayState saved;
    try {
      saved = ReplayState.fromJson(json);
    } catch (final IllegalArgumentException e) {
      throw new UserException("The saved position of namespace '" + namespace + "' is unreadable (" + e.getMessage() + "); delete the namespace with --delete-namespace", e);
    }
    if (!saved.sameReplayAs(wanted)) {
      throw new UserException(
          "Namespace '" + namespace + "' holds another replay (" + saved.describe() + "). Replay the same source and"
              + " bounds to resume it, pick another --namespace, or delete this one with --delete-namespace");
    }
    return saved;
  }

  /** Waits until the pipeline has committed every record of its input; false when stopped first. */
  private static boolean awaitClassified(
      final ResolvedConfig config,
      final String applicationId,
      final String inputTopic,
      final CountDownLatch stop,
      final PrintWriter err,
      final Duration every) {
    // One admin client for the whole wait: the lag is asked for four times a second.
    return KafkaAccess.withAdmin(
        config.kafkaProperties(),
        (admin, servers) -> {
          final int partitions =
              admin.describeTopics(List.of(inputTopic)).allTopicNames().get(KafkaAccess.REACH_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                  .get(inputTopic).partitions().size();
          final List<TopicPartition> input = new ArrayList<>();
          for (int p = 0; p < partitions; p++) {
            input.add(new TopicPartition(inputTopic, p));
          }
          long lastLine = System.nanoTime();
          while (true) {
            final long left = lag(admin, applicationId, input);
            if (left == 0) {
              return true;
            }
            if (System.nanoTime() - lastLine >= every.toNanos()) {
              err.printf("Classifying: %,d record(s) of %s left%n", left, inputTopic);
              err.flush();
              lastLine = System.nanoTime();
            }
            if (stop.await(250, TimeUnit.MILLISECONDS)) {
              return false;
            }
          }
        });
  }

  /**
   * Records of the input not yet committed by the application; a partition it has not committed
   * yet is behind by all of it (the namespace's topics keep every record, so they start at 0). The
   * end is the high watermark, not the last stable offset: just after the replay's last commit
   * returns, the commit markers may not have reached the partitions yet, and until they do the last
   * stable offset stands before the whole transaction, which read as "nothing left" before
   * anything was classified.
   */
  private static long lag(final Admin admin, final String applicationId, final List<TopicPartition> input) {
    long lag = 0;
    for (final ConsumerGroupLag.Partition p :
        ConsumerGroupLag.read(admin, applicationId, input, LogEnd.HIGH_WATERMARK, Duration.ofMillis(KafkaAccess.REACH_TIMEOUT_MS)).partitions()) {
      lag += p.lag().orElse(p.end());
    }
    return lag;
  }

  private int deleteNamespace(final ResolvedConfig config, final StreamsSettings settings) {
    final String appId = settings.applicationId();
    final dev.outpost.clients.PipelineAdmin.Application application = PipelineWiring.application(appId, settings.stateDirectory());
    final List<String> deleted =
        KafkaAccess.withAdmin(
            config.kafkaProperties(),
            (admin, servers) -> {
              try {
                return new dev.outpost.clients.PipelineAdmin(admin, config.kafkaProperties(), Duration.ofMillis(KafkaAccess.REACH_TIMEOUT_MS))
                    .deleteNamespace(namespace, application, KafkaAccess.names(Topics.pipelineIn(namespace)), Topics.REPLAY_STATE.name());
              } catch (final dev.outpost.clients.ApplicationRunningException e) {
                throw new UserException("The pipeline of namespace '" + namespace + "' (" + appId + ") is still running; stop it first", e);
              }
            });
    final Path state = application.localState();
    spec.commandLine().getOut().printf(
        "Deleted namespace '%s': %s, the position of its replay, consumer group %s and local state %s%n",
        namespace, deleted.isEmpty() ? "no topics were left" : "topics " + deleted, appId, state);
    spec.commandLine().getOut().flush();
    return Outpost.EXIT_OK;
  }

  private static void requireNewsTopic(final String topic) {
    final String bare = topic.contains(".news.") ? topic.substring(topic.indexOf(".news.") + 1) : topic;
    Topics.byName(bare)
        .filter(t -> t.valueType() != NewsItem.class)
        .ifPresent(
            t -> {
              throw new UserException("--from-topic '" + topic + "' holds " + t.valueType().getSimpleName() + " records, not news items; replay news.items.v1 or a namespace's copy of it");
            });
  }

  private static Instant time(final String option, final String text) {
    if (text == null) {
      return null;
    }
    try {
      return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
    } catch (final DateTimeParseException e) {
      throw new UserException("Invalid " + option + " '" + text + "': use a date (2025-09-01) or a UTC time (2025-09-01T06:00:00Z)", e);
    }
  }
}
