package dev.outpost.cli;

import dev.outpost.cli.config.Durations;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.CatalogTopics;
import dev.outpost.cli.internal.Reachability;
import dev.outpost.cli.internal.SignalStop;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.ingest.feed.FeedWatcher;
import dev.outpost.model.Topics;
import dev.outpost.ops.OpsEndpoints;
import dev.outpost.ops.OpsServer;
import dev.outpost.registry.SchemaRegistryClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code outpost watch}: polls feeds and publishes their new items until SIGTERM. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Poll RSS or Atom feeds and publish their new items to news.items.v1 until Ctrl-C.",
      "Uses conditional GET (ETag, Last-Modified); remembers what it published in the Kafka topic",
      "outpost.watch.state.v1, so a restart publishes nothing twice; backs off a failing feed.",
      "With --ops-port, serves each feed's health at /metrics and /health."
    })
public final class WatchCommand implements Callable<Integer> {

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClusterOptions cluster;
  @Mixin private OutboundOptions outbound;
  @Mixin private InputOptions inputOptions;

  @Option(names = "--feed", required = true, paramLabel = "URL", description = "A feed to watch; repeatable.")
  private List<String> feeds = new ArrayList<>();

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "5m", description = "Time between polls of a healthy feed. Default: ${DEFAULT-VALUE}.")
  private String interval;

  @Option(names = "--ops-port", paramLabel = "PORT", defaultValue = "-1", description = "Serve /metrics and /health on 127.0.0.1 at this port; 0 for any free port, -1 for none. Default: ${DEFAULT-VALUE}.")
  private int opsPort;

  @Override
  public Integer call() throws InterruptedException {
    for (final String feed : feeds) {
      final URI uri;
      try {
        uri = URI.create(feed);
      } catch (final IllegalArgumentException e) {
        throw new UserException("Invalid --feed '" + feed + "': " + e.getMessage(), e);
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new UserException("Invalid --feed '" + feed + "': give an http:// or https:// URL");
      }
    }
    final Duration every = Durations.parse("--interval", interval);
    final ResolvedConfig config = cluster.resolve(root.env(), outbound.flags(), inputOptions.flags());
    Reachability.requireKafkaAndRegistry(config);
    TopicAdmin.requireTopics(config.kafkaProperties(), List.of(Topics.NEWS_ITEMS.name()));
    TopicAdmin.createMissingTopics(
        config.kafkaProperties(),
        CatalogTopics.toCreate(List.of(Topics.WATCH_STATE)),
        TopicAdmin.sensibleReplication(config.kafkaProperties()));
    final PrintWriter err = spec.commandLine().getErr();
    final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final SchemaRegistryClient registry = config.newRegistryClient();
    final FeedWatcher watcher =
        new FeedWatcher(
            config.kafkaProperties(),
            registry,
            feeds,
            every,
            root.clock(),
            meters,
            OutboundOptions.policy(config),
            InputOptions.limit(config),
            InputOptions.itemSizeLimit(config.kafkaProperties()));
    final OpsServer ops = opsPort < 0 ? null : OpsServer.start("127.0.0.1", opsPort, false);
    if (ops != null) {
      OpsEndpoints.install(ops, meters, null, () -> new OpsEndpoints.Readiness(true, "watching " + feeds.size() + " feed(s)"), Map::of);
      err.printf("Ops server at %s: /metrics, /health%n", ops.url());
    }
    // A signal stops the loop after the poll in progress; the watcher then closes (its producer
    // flushes what it published, its state with it), and the hook waits for that.
    final SignalStop stop = SignalStop.install("outpost-watch-stop", "the feed watcher");
    err.printf("Watching %d feed(s) every %s; Ctrl-C to stop%n", feeds.size(), Durations.format(every));
    err.flush();
    try {
      do {
        watcher.pollDue();
      } while (!stop.latch().await(1, TimeUnit.SECONDS));
    } finally {
      watcher.close();
      registry.close();
      // The ops server serves only /metrics and /health here: no stream to interrupt.
      if (ops != null) {
        ops.close();
      }
      meters.close();
      stop.close();
    }
    return Outpost.EXIT_OK;
  }
}
