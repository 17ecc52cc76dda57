package dev.outpost.cli;

import dev.outpost.cli.config.Durations;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.CatalogTopics;
import dev.outpost.cli.internal.Reachability;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.subscribers.TopicTailer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code outpost tail}: prints a topic's records as JSON, one per line. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Print the records of a topic as JSON, one per line, until Ctrl-C.",
      "Avro values of the catalog's topics, and of a namespace's, are decoded through the schema",
      "registry; other topics (the dead letters, a dispatcher's retry and parked topics) show",
      "headers and Base64 bytes; subscriptions, no secret and no URL credentials or query.",
      "Reads without a consumer group and commits nothing."
    })
public final class TailCommand implements Callable<Integer> {

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic: one of the catalog (news.items.v1), one of a replay's namespace (ns1.alerts.parade.v1), or any other, shown raw.")
  private String topicName;

  @Option(
      names = "--from-beginning",
      description = "Start from the oldest record instead of waiting for new ones.")
  private boolean fromBeginning;

  @Option(
      names = {"-n", "--max-messages"},
      paramLabel = "N",
      description = "Exit after N records.")
  private long maxMessages;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      description = "Exit when no record arrived for this long, e.g. 10s or 1m.")
  private String idleTimeout;

  @Override
  public Integer call() {
    final TopicSpec<?, ?> topic = resolve(topicName);
    if (maxMessages < 0) {
      throw new UserException("--max-messages must be 0 or more, got " + maxMessages);
    }
    final Duration idle = idleTimeout == null ? null : Durations.parse("--idle-timeout", idleTimeout);
    final ResolvedConfig config = cluster.resolve(root.env());
    // Records of raw bytes (the dead letters, any topic outside the catalog) are shown without
    // the registry.
    if (topic.valueType() == byte[].class) {
      Reachability.requireKafka(config);
    } else {
      Reachability.requireKafkaAndRegistry(config);
    }
    if (Topics.byName(topic.name()).isPresent() || topic.valueType() != byte[].class) {
      TopicAdmin.requireTopics(config.kafkaProperties(), List.of(topic.name()));
    } else {
      requireAnyTopic(config.kafkaProperties(), topic.name());
    }
    final PrintWriter out = spec.commandLine().getOut();
    final PrintWriter err = spec.commandLine().getErr();
    try (SchemaRegistryClient registry = config.newRegistryClient();
        TopicTailer tailer =
            new TopicTailer(
                topic,
                TopicAdmin.withReachTimeout(config.kafkaProperties()),
                registry,
                fromBeginning ? TopicTailer.Start.BEGINNING : TopicTailer.Start.END,
                Map.of())) {
      final Thread stopOnSignal = new Thread(tailer::stop, "outpost-tail-shutdown");
      Runtime.getRuntime().addShutdownHook(stopOnSignal);
      try {
        tailer.run(
            maxMessages,
            idle,
            json -> {
              out.println(json);
              out.flush();
            },
            message -> {
              err.println("outpost: " + message);
              err.flush();
            });
      } finally {
        removeHook(stopOnSignal);
      }
    }
    return Outpost.EXIT_OK;
  }

  /**
   * The topic to read, as the catalog knows it: one of its own, one of a namespace's ("ns1.alerts.parade.v1",
   * decoded as the live topic is), else any other topic of the cluster (a dispatcher's retry and
   * parked topics, a topic of another tool's), shown raw: headers and Base64 bytes.
   */
  static TopicSpec<?, ?> resolve(final String name) {
    if (name == null || name.isBlank()) {
      throw new UserException("Give a topic to tail, e.g. " + Topics.NEWS_ITEMS.name());
    }
    final java.util.Optional<TopicSpec<?, ?>> known = Topics.byName(name);
    if (known.isPresent()) {
      return known.get();
    }
    final int dot = name.indexOf('.');
    if (dot > 0) {
      final String namespace = name.substring(0, dot);
      final java.util.Optional<TopicSpec<?, ?>> live = Topics.byName(name.substring(dot + 1));
      if (live.isPresent()) {
        try {
          return Topics.in(namespace, live.get());
        } catch (final IllegalArgumentException notANamespace) {
          // Not a namespace's topic: read it raw, as any other.
        }
      }
    }
    try {
      return new TopicSpec<>(name, byte[].class, byte[].class, 1, dev.outpost.model.CleanupPolicy.DELETE);
    } catch (final IllegalArgumentException e) {
      throw new UserException(e.getMessage() + ": topic names are letters, digits, '.', '_' and '-'", e);
    }
  }

  /** A topic outside the catalog must exist; when it does not, the name is most likely a slip. */
  private static void requireAnyTopic(final Map<String, Object> kafkaProperties, final String name) {
    final java.util.Set<String> names =
        TopicAdmin.withAdmin(kafkaProperties, (admin, servers) -> admin.listTopics().names().get(TopicAdmin.REACH_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS));
    if (!names.contains(name)) {
      throw new UserException(
          "Unknown topic '" + name + "': the cluster has no such topic; tail one of the catalog's, " + String.join(", ", CatalogTopics.names(Topics.PIPELINE)) + ", or another the cluster has");
    }
  }

  private static void removeHook(final Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (final IllegalStateException e) {
      // The JVM is already shutting down; the hook is running or has run.
    }
  }
}
