package dev.outpost.cli;

import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.Reachability;
import dev.outpost.cli.internal.SignalStop;
import dev.outpost.model.Topics;
import dev.outpost.ops.OpsEndpoints;
import dev.outpost.ops.OpsServer;
import dev.outpost.ops.OpsWiring;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.subscribers.AlertStream;
import dev.outpost.subscribers.RecentAlerts;
import dev.outpost.topology.DeadLetters;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost ops}: the ops server on its own, beside a cluster: the dashboard, the alert
 * stream, consumer lag (as JSON and Prometheus metrics) and health, until SIGTERM.
 */
@Command(
    name = "ops",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the ops HTTP server on its own: the dashboard at /, the alert stream at /alerts/stream,",
      "the last alerts and stories at /api/recent, dead letters by reason at /api/dead-letters,",
      "consumer lag at /api/lag and /metrics, and /health. Runs until Ctrl-C."
    })
public final class OpsCommand implements Callable<Integer> {

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClusterOptions cluster;

  @Option(names = "--ops-host", paramLabel = "HOST", defaultValue = "${env:OUTPOST_OPS_HOST:-127.0.0.1}", description = "Address to listen on. Variable OUTPOST_OPS_HOST. Default: ${DEFAULT-VALUE}.")
  private String opsHost;

  @Option(names = "--ops-port", paramLabel = "PORT", defaultValue = "${env:OUTPOST_OPS_PORT:-8080}", description = "Port; 0 for any free port. Variable OUTPOST_OPS_PORT. Default: ${DEFAULT-VALUE}.")
  private int opsPort;

  @Option(names = "--insecure", description = "Listen on a non-loopback --ops-host without a token (logged as a warning).")
  private boolean insecure;

  @Option(names = "--group", paramLabel = "GROUP", description = "Watch only this group's lag; repeatable. Default: every consumer group.")
  private List<String> groups = new java.util.ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    if (opsPort < 0) {
      throw new UserException("Invalid --ops-port " + opsPort + ": use a port from 1 to 65535, or 0 for any free port");
    }
    final String token = checkExposure(opsHost, opsPort, root.env(), insecure);
    final ResolvedConfig config = cluster.resolve(root.env());
    Reachability.requireKafkaAndRegistry(config);
    final PrintWriter err = spec.commandLine().getErr();
    final SchemaRegistryClient registry = config.newRegistryClient();
    final OpsServer server;
    try {
      server = OpsServer.start(opsHost, opsPort, false);
      if (token != null) {
        server.requireToken(token);
      }
    } catch (final java.io.UncheckedIOException | IllegalArgumentException e) {
      registry.close();
      throw new UserException(e.getMessage(), e);
    }
    server.route(AlertStream.PATH, new AlertStream(config.kafkaProperties(), registry, 64));
    server.route(RecentAlerts.PATH, new RecentAlerts(config.kafkaProperties(), registry, root.clock()));
    // What this installs ends with the JVM, as the server does.
    final OpsWiring unused =
        OpsWiring.on(server, config.kafkaProperties(), root.clock())
            .groups(groups)
            .deadLetters(Topics.NEWS_ITEMS_DLQ.name(), DeadLetters.REASON)
            .opsEvents()
            .readinessFromLag(lags -> new OpsEndpoints.Readiness(!lags.isEmpty() || groups.isEmpty(), "lag sampled for " + lags.size() + " group(s)"))
            .summary(() -> Map.of("alertsLastHour", Map.of()))
            .install();
    // Nothing here holds work to commit: on a signal the server, its alert streams and the lag
    // monitor end with the JVM. Closing them would wait for a lag sample in progress and interrupt
    // the streams' consumers, which then log their failure to close with a stack trace.
    final SignalStop stop =
        SignalStop.install(
            "outpost-ops-stop",
            "the ops server",
            () -> {
              err.println("Ops server stopped");
              err.flush();
            });
    err.printf("Ops server at %s: /, /alerts/stream, /api/recent, /api/dead-letters, /metrics, /api/lag, /health; Ctrl-C to stop%n", server.url());
    err.flush();
    stop.latch().await();
    return Outpost.EXIT_OK;
  }

  /**
   * Keeps the ops server on loopback unless it is protected or the user says otherwise.
   *
   * @param host the address to listen on
   * @param port the port, or -1 for no server
   * @param env the environment, for {@code OUTPOST_OPS_TOKEN}
   * @param insecure whether the user accepts an open server
   * @return the bearer token to require, or null
   * @throws UserException when a non-loopback address has neither a token nor --insecure
   */
  static String checkExposure(final String host, final int port, final Map<String, String> env, final boolean insecure) {
    if (port < -1 || port > 65_535) {
      throw new UserException("Invalid --ops-port " + port + ": use a port from 1 to 65535, 0 for any free port, or -1 for none");
    }
    final String token = env.get("OUTPOST_OPS_TOKEN");
    if (port >= 0 && !OpsServer.isLoopback(host)) {
      if (token == null && !insecure) {
        throw new UserException(
            "The ops server would listen on "
                + host
                + ", beyond this machine: set OUTPOST_OPS_TOKEN to a bearer token of 16 or more characters, or pass --insecure");
      }
      if (token == null) {
        LoggerFactory.getLogger(OpsCommand.class)
            .warn("The ops server listens on {} without a token: anyone who can reach it can read alerts and metrics", host);
      }
    }
    return token;
  }
}
