package dev.outpost.cli;

import dev.outpost.classifier.Classifier;
import dev.outpost.cli.config.Durations;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.CatalogTopics;
import dev.outpost.cli.internal.Reachability;
import dev.outpost.cli.internal.SignalStop;
import dev.outpost.clients.PipelineAdmin;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.ingest.replay.ReplayJob;
import dev.outpost.ingest.replay.ReplayState;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.topology.OutpostTopology;
import dev.outpost.topology.Pipeline;
import dev.outpost.topology.PipelineConfig;
import dev.outpost.topology.PipelineMetrics;
import dev.outpost.topology.PipelineSerdes;
import dev.outpost.topology.StreamsSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
    final StreamsSettings settings = PipelineOptions.streamsSettings(config).inNamespace(namespace);
    if (input != null && input.delete) {
      Reachability.requireKafka(config);
      return deleteNamespace(config, settings);
    }
    if (input == null) {
      throw new UserException("Say what to replay: --from FILE|DIR or --from-topic TOPIC (or --delete-namespace)");
    }
    final Duration every = Durations.parse("--progress-interval", progressInterval);
    final ReplayJob.Options options =
        ReplayJob.Options.parse(namespace, input.from, input.fromTopic, since, until, speed, every, InputOptions.limit(config));
    if (!noPipeline) {
      PipelineOptions.requireSafeGuarantee(config);
    }
    final Classifier classifier = noPipeline ? null : classifierOptions.classifier();
    final PipelineConfig pipelineConfig = PipelineOptions.pipelineConfig(config).inNamespace(namespace);
    // The files are opened before anything is created, so that a bad --from fails first.
    try (SchemaRegistryClient registry = config.newRegistryClient();
        ReplayJob job = new ReplayJob(options, config.kafkaProperties(), registry, root.clock(), problem -> problem(err, problem))) {
      Reachability.requireKafkaAndRegistry(config);
      // Items keep their publication times as record times, so time-based retention would delete
      // an old replay at once: the namespace's topics keep everything until it is deleted.
      final List<String> created =
          TopicAdmin.createMissingTopics(
              config.kafkaProperties(), CatalogTopics.toCreate(Topics.pipelineIn(namespace)), settings.replicationFactor(), Map.of("retention.ms", "-1"));
      TopicAdmin.createMissingTopics(config.kafkaProperties(), CatalogTopics.toCreate(List.of(Topics.REPLAY_STATE)), settings.replicationFactor());
      if (!created.isEmpty()) {
        err.printf("Created topics %s, kept until the namespace is deleted%n", created);
      }
      // A signal stops the replay after the item in flight; what was sent is committed and the
      // pipeline closed before the JVM ends, within SignalStop's grace, so the same command resumes.
      try (SignalStop stop = SignalStop.install("outpost-replay-stop", "the replay")) {
        final ReplayState state = job.start();
        if (state.published() + state.skipped() > 0 || state.done()) {
          err.printf("Resuming the replay into '%s': %s%n", namespace, state.describe());
        }
        final PipelineMetrics metrics = new PipelineMetrics(settings.applicationId());
        final AtomicBoolean failed = new AtomicBoolean();
        Pipeline pipeline = null;
        try {
          if (!noPipeline) {
            pipeline = Pipeline.start(pipelineConfig, settings, classifier, PipelineSerdes.using(registry, config.registryProperties()), metrics, root.clock());
            pipeline.onStateChange(
                (now, before) -> {
                  if (now == KafkaStreams.State.ERROR) {
                    failed.set(true);
                    stop.latch().countDown();
                  }
                });
            err.printf("Pipeline %s classifying %s%n", settings.applicationId(), pipelineConfig.inputTopic());
          }
          final ReplayState end = job.replay(state, stop.latch(), System.console() != null ? System.err : null, err);
          if (failed.get()) {
            err.println("outpost: the pipeline stopped on an error (see the log above); the replay stopped too. " + metrics.statusLine());
            return Outpost.EXIT_FAILURE;
          }
          if (!end.done()) {
            err.println(job.summary("Stopped", end));
            err.printf("Run the same command again to resume.%n");
            return EXIT_STOPPED;
          }
          if (pipeline != null) {
            final String group = settings.applicationId();
            if (!TopicAdmin.withAdmin(config.kafkaProperties(), (admin, servers) -> job.awaitClassified(admin, group, pipelineConfig.inputTopic(), OutpostTopology.repartitionTopics(group, pipelineConfig), stop.latch(), err))) {
              err.printf(failed.get() ? "outpost: the pipeline stopped on an error%n" : "Stopped before the pipeline classified everything; run the same command again to finish.%n");
              return failed.get() ? Outpost.EXIT_FAILURE : EXIT_STOPPED;
            }
            // Summaries of stories that grew in the last second are written on the pipeline's next
            // wall-clock tick; a clean close then commits them.
            final long summariesBy = System.nanoTime() + 10 * OutpostTopology.STORY_SUMMARIES_EVERY.toNanos();
            while (metrics.storySummariesOwed() > 0 && System.nanoTime() < summariesBy) {
              if (stop.latch().await(50, TimeUnit.MILLISECONDS)) {
                break;
              }
            }
            err.println("This run: " + metrics.statusLine());
          }
          final PrintWriter out = spec.commandLine().getOut();
          out.println(job.summary("Replayed", end));
          out.printf("Read the alerts: outpost subscribe --namespace %s --from earliest%n", namespace);
          out.flush();
          return Outpost.EXIT_OK;
        } finally {
          if (pipeline != null) {
            pipeline.close(stop.signalled() ? SignalStop.GRACE : Duration.ofSeconds(60));
          }
          err.flush();
        }
      }
    }
  }

  private static void problem(final PrintWriter err, final String problem) {
    err.println("outpost: skipped " + problem);
    err.flush();
  }

  private int deleteNamespace(final ResolvedConfig config, final StreamsSettings settings) {
    final String appId = settings.applicationId();
    final PipelineAdmin.Application application =
        new PipelineAdmin.Application(appId, OutpostTopology.INTERNAL_NAMES, settings.stateDirectory());
    final List<String> deleted =
        TopicAdmin.withAdmin(config.kafkaProperties(), (admin, servers) -> ReplayJob.deleteNamespace(admin, config.kafkaProperties(), namespace, application));
    spec.commandLine().getOut().printf(
        "Deleted namespace '%s': %s, the position of its replay, consumer group %s and local state %s%n",
        namespace, deleted.isEmpty() ? "no topics were left" : "topics " + deleted, appId, application.localState());
    spec.commandLine().getOut().flush();
    return Outpost.EXIT_OK;
  }
}
