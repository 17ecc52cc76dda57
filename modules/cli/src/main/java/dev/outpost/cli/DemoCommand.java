package dev.outpost.cli;

import dev.outpost.classifier.Classifier;
import dev.outpost.cli.config.Durations;
import dev.outpost.cli.internal.DemoFeed;
import dev.outpost.cli.internal.DemoStories;
import dev.outpost.cli.internal.DemoSummary;
import dev.outpost.cli.internal.LocalStack;
import dev.outpost.cli.internal.PipelineOps;
import dev.outpost.cli.internal.SignalStop;
import dev.outpost.model.Category;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.ops.OpsServer;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.subscribers.AlertPrinter;
import dev.outpost.topology.Pipeline;
import dev.outpost.topology.PipelineConfig;
import dev.outpost.topology.PipelineMetrics;
import dev.outpost.topology.PipelineSerdes;
import dev.outpost.topology.StreamsSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost demo}: the whole job on one machine. Starts an embedded Kafka broker and schema
 * registry and the classification pipeline, publishes the bundled samples (real news excerpts, the
 * article Outpost was conceived from, one event several outlets reported, a repeat delivery and a
 * few bad records), and prints each alert as it arrives, with the story it joined. With {@code
 * --once} it prints a summary, stories and surges included, and exits when every sample has gone
 * through; otherwise it keeps running, for other tools to connect to, until Ctrl-C.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole Outpost pipeline on an embedded Kafka broker and schema registry.",
      "Everything listens on 127.0.0.1 only.",
      "Publishes the bundled sample news to news.items.v1, classifies it, and prints each alert",
      "as it arrives; then keeps running, printing new alerts, until Ctrl-C.",
      "Data persists in --data-dir."
    })
public final class DemoCommand implements Callable<Integer> {

  static final String APPLICATION_ID = "outpost-demo";

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClassifierOptions classifierOptions;

  @Option(
      names = "--once",
      description = "Exit with a summary (stories and surges included) once every sample has been classified and its alerts printed.")
  private boolean once;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:OUTPOST_DEMO_TIMEOUT:-120s}",
      description = "With --once, how long to wait for the samples to go through. Variable OUTPOST_DEMO_TIMEOUT. Default: ${DEFAULT-VALUE}.")
  private String timeout;

  @Option(
      names = "--kafka-port",
      paramLabel = "PORT",
      defaultValue = "${env:OUTPOST_DEMO_KAFKA_PORT:-9092}",
      description = "Port for Kafka, if free; else a free one. Variable OUTPOST_DEMO_KAFKA_PORT. Default: ${DEFAULT-VALUE}.")
  private int kafkaPort;

  @Option(
      names = "--registry-port",
      paramLabel = "PORT",
      defaultValue = "${env:OUTPOST_DEMO_REGISTRY_PORT:-8081}",
      description = "Port for the schema registry, if free; else a free one. Variable OUTPOST_DEMO_REGISTRY_PORT. Default: ${DEFAULT-VALUE}.")
  private int registryPort;

  @Option(
      names = "--ops-port",
      paramLabel = "PORT",
      defaultValue = "${env:OUTPOST_DEMO_OPS_PORT:-8080}",
      description = "Port for the ops HTTP server (the alert stream at /alerts/stream), if free; else a free one. Variable OUTPOST_DEMO_OPS_PORT. Default: ${DEFAULT-VALUE}.")
  private int opsPort;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "${env:OUTPOST_DEMO_DATA_DIR:-.outpost/demo}",
      description = "Where the broker and the pipeline keep their data between runs. Variable OUTPOST_DEMO_DATA_DIR. Default: ${DEFAULT-VALUE}.")
  private Path dataDir;

  @Override
  public Integer call() throws InterruptedException {
    checkPort("--kafka-port", kafkaPort);
    checkPort("--registry-port", registryPort);
    checkPort("--ops-port", opsPort);
    final Duration wait = Durations.parse("--timeout", timeout);
    final PrintWriter out = spec.commandLine().getOut();
    final PrintWriter err = spec.commandLine().getErr();
    final Classifier classifier = classifierOptions.classifier();
    // Ids unique to this run, so a second run on the same data is not dropped as repeats of the first.
    final String run = java.util.UUID.randomUUID().toString().substring(0, 8);
    final List<NewsItem> items = DemoFeed.bundledSamples(root.clock(), run);

    final LocalStack.Unstarted stack = LocalStack.create("demo", dataDir, kafkaPort, registryPort);
    err.printf("Starting embedded Kafka and schema registry (data in %s) ...%n", dataDir.toAbsolutePath());
    err.flush();
    final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    // What a signal must finish: the pipeline's transactions, then the broker's logs, so that the
    // next demo on the same data starts without recovering them. The ops server and what it
    // serves end with the JVM (see SignalStop).
    final List<AutoCloseable> onSignal = new CopyOnWriteArrayList<>();
    final CountDownLatch stopped = new CountDownLatch(1);
    final SignalStop shutdown =
        SignalStop.install(
            "outpost-demo-shutdown",
            "the embedded stack",
            () -> {
              err.println("Stopping the pipeline and the embedded stack ...");
              err.flush();
              closeAll(onSignal);
              stack.close();
              stopped.countDown();
            });
    try {
      stack.start();
      out.printf("Kafka broker     %s%n", stack.bootstrapServers());
      out.printf("Schema registry  %s%n", stack.registryUrl());
      out.flush();

      final SchemaRegistryClient registry =
          new HttpSchemaRegistryClient(
              RegistryClientConfig.fromProperties(Map.of("schema.registry.url", stack.registryUrl())));
      open.add(registry);
      onSignal.add(registry);
      final PipelineMetrics metrics = new PipelineMetrics(APPLICATION_ID);
      final Pipeline pipeline =
          Pipeline.start(
              PipelineConfig.defaults(),
              StreamsSettings.forDevCluster(stack.bootstrapServers(), dataDir.resolve("state"))
                  .withApplicationId(APPLICATION_ID),
              classifier,
              PipelineSerdes.using(registry, Map.of()),
              metrics,
              root.clock());
      open.add(0, () -> pipeline.close(Duration.ofSeconds(30)));
      // Half the grace at most, so that the broker has the other half to stop.
      onSignal.add(0, () -> pipeline.close(SignalStop.GRACE.dividedBy(2)));
      final OpsServer ops = OpsServer.start("127.0.0.1", opsPort, true);
      open.add(0, ops);
      open.add(0, PipelineOps.install(ops, stack.kafkaProperties(), registry, pipeline, root.clock(), true));
      out.printf("Dashboard        %s/%n", ops.url());
      out.printf("Alert stream     %s/alerts/stream (server-sent events; ?category=parade&actor=CHN ...)%n", ops.url());
      out.printf("Metrics, lag     %s/metrics, %s/api/lag%n", ops.url(), ops.url());
      out.flush();
      // Counts this run's alerts and remembers their stories, for the summary.
      final DemoStories stories = new DemoStories(run);
      final AlertPrinter printer = new AlertPrinter(stack.kafkaProperties(), registry, out, stories);
      open.add(0, printer);
      onSignal.add(0, printer);
      final Thread printing = new Thread(printer, "outpost-demo-alerts");
      printing.setDaemon(true);
      printing.start();

      final DemoFeed feed = new DemoFeed(items, registry);
      feed.publish(stack.kafkaProperties());
      out.printf(
          "Published %d sample item(s), %d repeat delivery and %d bad record(s) to %s; alerts as they arrive:%n",
          feed.items(),
          feed.repeats(),
          feed.badRecords(),
          Topics.NEWS_ITEMS.name());
      out.flush();

      if (!once) {
        out.printf(
            "%nThe pipeline keeps running and prints new alerts. Try, in another terminal:%n"
                + "  bin/outpost publish --help%n  bin/outpost tail %s --from-beginning%nPress Ctrl-C to stop.%n",
            Topics.alertTopicFor(Category.DIPLOMATIC_TENSION).name());
        out.flush();
        stopped.await();
        return Outpost.EXIT_OK;
      }
      final long deadline = System.nanoTime() + wait.toNanos();
      while (!DemoSummary.doneWith(feed, metrics, printer)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "The samples did not all go through within "
                  + Durations.format(wait)
                  + ": "
                  + metrics.statusLine()
                  + "; alerts printed "
                  + printer.total());
        }
        if (stopped.await(100, TimeUnit.MILLISECONDS)) {
          return Outpost.EXIT_OK;
        }
      }
      out.println();
      out.println(DemoSummary.of(metrics, printer, items.get(0).getId(), stories.read(stack.kafkaProperties(), registry)));
      out.flush();
      return Outpost.EXIT_OK;
    } finally {
      shutdown.close();
      if (!shutdown.signalled()) {
        closeAll(open);
        stack.close();
      }
      // Else the JVM is shutting down (Ctrl-C): the hook stops what must be stopped.
    }
  }

  private static void closeAll(final List<AutoCloseable> open) {
    for (final AutoCloseable c : open) {
      try {
        c.close();
      } catch (final Exception e) {
        // Best effort on the way out; the next one still gets closed.
      }
    }
    open.clear();
  }

  private static void checkPort(final String option, final int port) {
    if (port < 0 || port > 65_535) {
      throw new UserException("Invalid " + option + " " + port + ": use a port from 1 to 65535, or 0 for any free port");
    }
  }
}
