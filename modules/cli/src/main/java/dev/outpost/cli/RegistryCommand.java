package dev.outpost.cli;

import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.config.Settings;
import dev.outpost.cli.internal.Reachability;
import dev.outpost.cli.internal.SignalStop;
import dev.outpost.registry.server.RegistryServer;
import dev.outpost.registry.server.StandaloneRegistry;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost registry}: the schema registry on its own, speaking Confluent's REST API, its
 * schemas in the cluster's {@code _schemas} topic, until SIGTERM.
 */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description = {
      "Run the schema registry on its own against a Kafka cluster, its schemas kept in the _schemas topic",
      "as Confluent's registry keeps them. Listens on 127.0.0.1:8081 unless told otherwise; beyond this",
      "machine it needs users (HTTP basic authentication) or client certificates. Runs until Ctrl-C."
    })
public final class RegistryCommand implements Callable<Integer> {

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClusterOptions cluster;
  @Mixin private RegistryServerOptions server;

  @Option(names = "--replication-factor", paramLabel = "N", description = "Replicas of the schemas topic if it must be created. Key replication.factor. Default: 1, or 3 with profile=production.")
  private String replicationFactor;

  @Override
  public Integer call() throws InterruptedException {
    final java.util.Map<String, String> flags = server.flags();
    flags.put(Settings.REPLICATION_FACTOR.key(), replicationFactor);
    final ResolvedConfig config = cluster.resolve(root.env(), flags);
    // Everything the user can get wrong is said before Kafka is asked.
    final RegistryServer.Builder options = server.server(config, root.env());
    Reachability.requireKafka(config);
    final String replicas = config.get(Settings.REPLICATION_FACTOR);
    final short replication =
        Short.parseShort(replicas.isEmpty() ? ("production".equals(config.get(Settings.PROFILE)) ? "3" : "1") : replicas);
    final StandaloneRegistry registry;
    try {
      registry = StandaloneRegistry.start(config.kafkaProperties(), config.get(Settings.REGISTRY_TOPIC), replication, options);
    } catch (final UncheckedIOException e) {
      throw new UserException(e.getMessage() + ": the port is taken or the address is not this machine's; choose another --port or --host", e);
    }
    final PrintWriter err = spec.commandLine().getErr();
    final SignalStop stop =
        SignalStop.install(
            "outpost-registry-stop",
            "the schema registry",
            () -> {
              registry.close();
              err.println("Schema registry stopped");
              err.flush();
            });
    err.printf(
        "Schema registry at %s, schemas in topic %s on %s; Ctrl-C to stop%n",
        registry.url(), config.get(Settings.REGISTRY_TOPIC), config.get(Settings.BOOTSTRAP_SERVERS));
    err.flush();
    stop.latch().await();
    return Outpost.EXIT_OK;
  }
}
