package dev.outpost.cli;

import dev.outpost.classifier.Classifier;
import dev.outpost.cli.config.Durations;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.CatalogTopics;
import dev.outpost.cli.internal.PipelineOps;
import dev.outpost.cli.internal.Reachability;
import dev.outpost.cli.internal.SignalStop;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.ops.OpsServer;
import dev.outpost.ops.OpsWiring;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.topology.Pipeline;
import dev.outpost.topology.PipelineConfig;
import dev.outpost.topology.PipelineMetrics;
import dev.outpost.topology.PipelineSerdes;
import dev.outpost.topology.StreamsSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost run}: the pipeline against any cluster, until SIGTERM or Ctrl-C.
 *
 * <p>Exit codes: 0 after a graceful stop on a signal; 1 when the pipeline stopped on its own (a
 * fault every record would hit; see {@code UncaughtExceptionPolicy}); 2 for bad settings or
 * missing topics with {@code --no-create-topics}.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the classification pipeline on a Kafka cluster until SIGTERM or Ctrl-C.",
      "Reads news.items.v1, writes news.classified.v1 and one alert topic per category,",
      "and sends records it cannot read or accept to news.items.dlq.v1 with the reason in headers.",
      "Creates missing topics from the catalog unless --no-create-topics is given."
    })
public final class RunCommand implements java.util.concurrent.Callable<Integer> {

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClusterOptions cluster;
  @Mixin private PipelineOptions pipelineOptions;
  @Mixin private ClassifierOptions classifierOptions;

  @Option(
      names = "--no-create-topics",
      description = "Do not create missing topics; name them and exit 2 instead.")
  private boolean noCreateTopics;

  @Option(
      names = "--ops-host",
      paramLabel = "HOST",
      defaultValue = "${env:OUTPOST_OPS_HOST:-127.0.0.1}",
      description = "Address of the ops HTTP server (the alert stream at /alerts/stream); 0.0.0.0 for all. Variable OUTPOST_OPS_HOST. Default: ${DEFAULT-VALUE}.")
  private String opsHost;

  @Option(
      names = "--ops-port",
      paramLabel = "PORT",
      defaultValue = "${env:OUTPOST_OPS_PORT:-8080}",
      description = "Port of the ops HTTP server; 0 for any free port, -1 for none. Variable OUTPOST_OPS_PORT. Default: ${DEFAULT-VALUE}. On a non-loopback --ops-host it needs OUTPOST_OPS_TOKEN (a bearer token) or --insecure.")
  private int opsPort;

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      description = {
        "Run in a namespace: every topic prefixed with NAME. (NAME.news.items.v1, NAME.alerts.parade.v1, ...)",
        "and the application id suffixed with .NAME, so a replay or experiment stays apart from the",
        "live pipeline and its subscribers."
      })
  private String namespace;

  @Option(
      names = "--insecure",
      description = "Serve the ops server on a non-loopback --ops-host without a token (logged as a warning).")
  private boolean insecure;

  @Option(
      names = "--status-interval",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description = "How often to print what the pipeline has done (10s, 1m; 0 for never). Default: ${DEFAULT-VALUE}.")
  private String statusInterval;

  @Override
  public Integer call() throws InterruptedException {
    final PrintWriter err = spec.commandLine().getErr();
    final Duration every =
        statusInterval.trim().equals("0") ? Duration.ZERO : Durations.parse("--status-interval", statusInterval);
    final String opsToken = OpsCommand.checkExposure(opsHost, opsPort, root.env(), insecure);
    final ResolvedConfig config = cluster.resolve(root.env(), pipelineOptions.flags());
    PipelineOptions.requireSafeGuarantee(config);
    final Classifier classifier = classifierOptions.classifier();
    final PipelineConfig pipelineConfig = namespaced(PipelineOptions.pipelineConfig(config));
    final StreamsSettings live = PipelineOptions.streamsSettings(config);
    final StreamsSettings settings =
        namespace == null ? live : live.inNamespace(namespace);
    final List<TopicSpec<?, ?>> topics = namespace == null ? Topics.PIPELINE : Topics.pipelineIn(namespace);
    Reachability.requireKafkaAndRegistry(config);
    if (noCreateTopics) {
      TopicAdmin.requireTopics(config.kafkaProperties(), CatalogTopics.names(topics));
    } else {
      final List<String> created =
          TopicAdmin.createMissingTopics(config.kafkaProperties(), CatalogTopics.toCreate(topics), settings.replicationFactor());
      if (!created.isEmpty()) {
        err.printf("Created topics %s (replication factor %d)%n", created, settings.replicationFactor());
      }
    }

    final SchemaRegistryClient registry = config.newRegistryClient();
    final OpsServer ops;
    try {
      ops = opsPort < 0 ? null : OpsServer.start(opsHost, opsPort, false);
      if (ops != null && opsToken != null) {
        ops.requireToken(opsToken);
      }
    } catch (final IllegalArgumentException e) {
      registry.close();
      throw new UserException("Invalid OUTPOST_OPS_TOKEN: " + e.getMessage(), e);
    } catch (final java.io.UncheckedIOException e) {
      registry.close();
      throw new UserException(e.getMessage() + ": pass another --ops-port, or -1 for none", e);
    }
    final PipelineMetrics metrics = new PipelineMetrics(settings.applicationId());
    final CountDownLatch finished = new CountDownLatch(1);
    final Pipeline pipeline =
        Pipeline.start(
            pipelineConfig,
            settings,
            classifier,
            PipelineSerdes.using(registry, config.registryProperties()),
            metrics,
            root.clock());
    pipeline.onStateChange(
        (now, before) -> {
          if (now == KafkaStreams.State.RUNNING && before != KafkaStreams.State.RUNNING) {
            err.printf("Pipeline %s running on %s%n", settings.applicationId(), settings.bootstrapServers());
            err.flush();
          }
          if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
            finished.countDown();
          }
        });
    final OpsWiring opsWiring =
        ops == null ? null : PipelineOps.install(ops, config.kafkaProperties(), registry, pipeline, root.clock(), false);
    if (ops != null) {
      err.printf(
          "Ops server at %s: /, /alerts/stream, /api/recent, /api/dead-letters, /metrics, /api/lag, /health, /health/ready%n",
          ops.url());
    }
    // On a signal only the pipeline needs finishing (its transactions, its group); the ops server
    // ends with the JVM (see SignalStop).
    final SignalStop shutdown =
        SignalStop.install(
            "outpost-run-shutdown",
            "the pipeline",
            () -> {
              err.println("Stopping the pipeline: finishing and committing what is in flight ...");
              err.flush();
              pipeline.close(SignalStop.GRACE);
              registry.close();
              err.println(metrics.statusLine());
              err.flush();
              finished.countDown();
            });
    err.printf(
        "Starting pipeline %s (%s, %d stream thread(s), state in %s) ...%n",
        settings.applicationId(),
        settings.processingGuarantee(),
        settings.streamThreads(),
        settings.stateDirectory().toAbsolutePath());
    err.flush();
    while (!finished.await(every.isZero() ? Long.MAX_VALUE : every.toMillis(), TimeUnit.MILLISECONDS)) {
      err.println(metrics.statusLine());
      err.flush();
    }
    if (shutdown.signalled()) {
      return Outpost.EXIT_OK;
    }
    // The pipeline stopped by itself: the uncaught-exception policy shut it down.
    shutdown.close();
    if (shutdown.signalled()) {
      return Outpost.EXIT_OK;
    }
    pipeline.close(Duration.ofSeconds(30));
    if (ops != null) {
      ops.close();
      opsWiring.close();
    }
    registry.close();
    err.println("outpost: the pipeline stopped on an error (see the log above); " + metrics.statusLine());
    err.flush();
    return Outpost.EXIT_FAILURE;
  }

  private PipelineConfig namespaced(final PipelineConfig config) {
    if (namespace == null) {
      return config;
    }
    try {
      return config.inNamespace(namespace);
    } catch (final IllegalArgumentException e) {
      throw new UserException("Invalid --namespace: " + e.getMessage(), e);
    }
  }
}
